"""The CJK font for the charts (matplotlib) and for headless Chromium (fontconfig).

Chinese labels need a font with CJK glyphs; matplotlib's own DejaVu Sans has none and draws
boxes. The project installs one itself: requirements.lock pins ``pylopdf-fonts-zh-cn``, which
ships Noto Sans SC (SIL Open Font License). Where that package is missing, Debian's
``fonts-noto-cjk`` or ``fonts-wqy-microhei`` are used if installed. ``BUDGET_CJK_FONT=/path``
overrides both. Nothing is downloaded at run time: without any of them this fails, naming what
to install."""

from __future__ import annotations

import os
import tempfile
from xml.sax.saxutils import escape
from functools import cache
from pathlib import Path

# Characters every chart needs: a font missing any of them would draw boxes.
PROBE = "类款项一般公共预算转移支付三公经费基本项目人员公用万元变动"

SYSTEM_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)


class CJKFontMissing(RuntimeError):
    pass


def _packaged_font() -> Path | None:
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        return None
    path = Path(pylopdf_fonts_zh_cn.sans_path())
    return path if path.is_file() else None


def candidates() -> list[Path]:
    found = []
    if os.environ.get("BUDGET_CJK_FONT"):
        found.append(Path(os.environ["BUDGET_CJK_FONT"]))
    packaged = _packaged_font()
    if packaged:
        found.append(packaged)
    found.extend(SYSTEM_FONTS)
    return found


def _covers(path: Path, text: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        charmap = FT2Font(str(path)).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    return all(ord(ch) in charmap for ch in text)


@cache
def cjk_font_path() -> Path:
    """The first installed font that has every glyph of PROBE."""
    tried = []
    for path in candidates():
        if path.is_file() and _covers(path, PROBE):
            return path
        tried.append(str(path))
    raise CJKFontMissing(
        "no CJK font found, so Chinese labels would render as boxes. Tried: " + ", ".join(tried)
        + ". Install the project's pinned packages (`make report` does: requirements.lock has "
        "pylopdf-fonts-zh-cn), or `apt-get install fonts-noto-cjk`, or set BUDGET_CJK_FONT to a "
        ".ttf/.otf/.ttc with Chinese glyphs.")


@cache
def register_cjk_font() -> str:
    """Register the CJK font with matplotlib's font manager and make it the default sans-serif
    (DejaVu Sans as fallback for the rest); returns the font family name."""
    import matplotlib
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    name = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    # findfont must resolve to the registered file, not silently to DejaVu Sans.
    resolved = Path(font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False))
    if resolved.resolve() != path.resolve():
        raise CJKFontMissing(f"matplotlib resolves {name!r} to {resolved}, not to {path}")
    return name


def fontconfig_file(folder: Path | None = None) -> Path:
    """A fontconfig file that adds the CJK font's folder to the system's fonts, for headless
    Chromium (FONTCONFIG_FILE): the docs site then shows its Chinese descriptions, not boxes."""
    folder = Path(folder or tempfile.mkdtemp(prefix="budgetwh-fontconfig-"))
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{escape(str(cjk_font_path().parent))}</dir>\n"
        f"  <cachedir>{escape(str(folder / 'cache'))}</cachedir>\n"
        "</fontconfig>\n", encoding="utf-8")
    return conf
