"""Photos: the EXIF metadata goes (a phone writes the GPS position of the home into it), the
orientation stays (applied to the pixels first), and a small thumbnail is made for the case
file."""

import io

from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

THUMBNAIL_SIZE = (320, 320)
# Larger images than this many pixels are refused (Pillow's decompression-bomb guard also
# refuses them, with an exception of its own).
MAX_PIXELS = 80_000_000


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError("Deze afbeelding is te groot (te veel beeldpunten).")
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
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
