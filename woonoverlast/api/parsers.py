"""The API's JSON parser: DRF's, with nesting too deep for Python's parser refused as bad input
(RecursionError would be a 500)."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JsonParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError("De JSON is te diep genest.") from error
