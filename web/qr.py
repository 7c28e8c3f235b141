"""QR codes as small inline-safe SVG (no raster, no external service)."""

from __future__ import annotations

import io
from functools import lru_cache

import qrcode
import qrcode.image.svg


@lru_cache(maxsize=512)
def qr_svg(url: str) -> str:
    """An SVG QR code for a link; cached because a game's link never changes."""
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    buf = io.BytesIO()
    image.save(buf)
    svg = buf.getvalue().decode()
    # Drop the XML prolog so the markup can sit inside an HTML page as well as stand alone.
    return svg[svg.index("<svg") :]
