"""Photos: the EXIF metadata goes (a phone writes the GPS position of the home into it), the
orientation stays (applied to the pixels first), and a small thumbnail is made for the case
file."""

import io
import warnings

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

THUMBNAIL_SIZE = (320, 320)
# Larger images than this many pixels are refused from their header, before anything is
# decoded: a PNG of a few kilobytes can say 80 million pixels, and decoding, turning and
# re-encoding it costs seconds of CPU and hundreds of megabytes. 50 million pixels is more
# than a phone's photo at full resolution (8160 x 6120).
MAX_PIXELS = 50_000_000
TOO_LARGE = (
    "Deze afbeelding is te groot: {width} bij {height} beeldpunten, hoogstens {limit} miljoen "
    "beeldpunten. Verklein de afbeelding en voeg hem opnieuw toe."
)


def _open(data: bytes) -> Image.Image:
    try:
        # Image.open reads only the header; the pixels are decoded by load(). Pillow's
        # warning between its two limits is moot: the smaller limit below decides.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as error:  # Pillow's own, far higher, limit
        raise ValidationError(
            "Deze afbeelding is te groot (te veel beeldpunten). Verklein de afbeelding en voeg "
            "hem opnieuw toe.",
            code="pixels",
        ) from error
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError("Deze afbeelding is beschadigd of onleesbaar.") from error
    if image.width * image.height > MAX_PIXELS:
        raise ValidationError(
            TOO_LARGE.format(width=image.width, height=image.height, limit=MAX_PIXELS // 1_000_000),
            code="pixels",
        )
    try:
        image.load()
    except (OSError, Image.DecompressionBombError) as error:
        raise ValidationError("Deze afbeelding is beschadigd of onleesbaar.") from error
    return image


def strip_metadata(data: bytes, *, fmt: str) -> bytes:
    """The image re-encoded without EXIF (nor XMP, comments), upright as the camera meant."""
    image = ImageOps.exif_transpose(_open(data))
    if image.mode == "P":
        image = image.convert("RGBA")
    # A fresh image carries no `info` (exif, xmp, comments) from the original.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    if fmt == "JPEG":
        if clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        clean.save(out, format="JPEG", quality=90, optimize=True)
    else:
        clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def thumbnail(data: bytes) -> bytes:
    image = _open(data)
    image.thumbnail(THUMBNAIL_SIZE)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()
