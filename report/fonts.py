"""The CJK font for the charts (matplotlib) and for the HTML pages (a subset shipped with them).

Chinese labels need a font with CJK glyphs; matplotlib's own DejaVu Sans has none and draws
boxes. The project installs one itself: requirements.lock pins ``pylopdf-fonts-zh-cn``, which
ships Noto Sans SC (SIL Open Font License). Where that package is missing, Debian's
``fonts-noto-cjk`` or ``fonts-wqy-microhei`` are used if installed. ``BUDGET_CJK_FONT=/path``
overrides both. Nothing is downloaded at run time: without any of them this fails, naming what
to install.

The HTML pages (the report, the docs site) cannot count on the reader's machine having a CJK
font: a plain Debian or a container has none and draws every Chinese character as an empty
box. So each page carries its own: ``subset_font`` cuts the font down to the characters the page
uses (plus printable ASCII and common CJK punctuation) as a WOFF file (zlib; WOFF2 would need
brotli, which is not a dependency), and ``font_notice`` writes the licence that must travel with
it (Noto Sans SC: SIL Open Font License 1.1, which allows subsetting and bundling)."""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

# Characters every page's font subset holds besides the page's own: printable ASCII, full-width
# digits and letters' punctuation, and the CJK punctuation the documents print.
BASE_CHARACTERS = ("".join(chr(c) for c in range(0x20, 0x7F))
                   + "，。、；：？！“”‘’（）《》【】〔〕「」…—–·～￥％×→←↑↓≥≤±０１２３４５６７８９")
PACKAGE = "pylopdf-fonts-zh-cn"

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


def page_characters(text: str) -> str:
    """Every character TEXT shows a reader, with BASE_CHARACTERS: the literal ones and those
    written as JSON escapes (\\uXXXX, surrogate pairs joined), since dbt's docs site embeds its
    manifest as JSON. Control characters are left out."""
    def unescape(match: re.Match) -> str:
        return json.loads(f'"{match.group(0)}"')  # a lone surrogate stays one, and is dropped below

    escaped = re.sub(r"(?:\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2})|\\u[0-9a-fA-F]{4}",
                     unescape, text)
    chars = (set(text) | set(escaped) | set(BASE_CHARACTERS))
    return "".join(sorted(c for c in chars if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF))


def family_name(path: Path | None = None) -> str:
    """The font's family name (name ID 1), e.g. Noto Sans SC: the name its @font-face declares."""
    from fontTools.ttLib import TTFont

    path = Path(path or cjk_font_path())
    font = TTFont(str(path), fontNumber=0 if path.suffix.lower() in (".ttc", ".otc") else -1, lazy=True)
    return font["name"].getDebugName(1) or path.stem


def subset_font(characters: str, out: Path, font: Path | None = None) -> Path:
    """Write OUT, a WOFF subset of the CJK font (cjk_font_path()) holding the glyphs of
    CHARACTERS that the font has (and what its layout features reach from them); hinting is
    dropped and CFF desubroutinized, which zlib compresses best: about 60 KB for the report."""
    from fontTools import subset

    path = Path(font or cjk_font_path())
    options = subset.Options()
    options.flavor = "woff"
    options.desubroutinize = True
    options.hinting = False
    options.font_number = 0
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # copyright and licence travel with it (OFL)
    loaded = subset.load_font(str(path), options, lazy=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in characters])
    subsetter.subset(loaded)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(loaded, str(out), options)
    return out


def font_notice(font_file: Path, source: Path | None = None) -> str:
    """The licence text shipped beside a subset: where the font came from, its copyright and
    licence as its name table states them, and the full licence text of the package that ships
    it (the SIL Open Font License for Noto Sans SC) when that is where it came from."""
    from fontTools.ttLib import TTFont

    source = Path(source or cjk_font_path())
    names = TTFont(str(font_file), lazy=True)["name"]
    lines = [f"{Path(font_file).name}: a subset of {names.getDebugName(4) or names.getDebugName(1)} "
             f"({names.getDebugName(5) or 'version unknown'}) from {source.name}, cut with fontTools.subset "
             "to the characters the page beside it uses.",
             f"Copyright: {names.getDebugName(0) or 'not stated in the font'}",
             f"Licence: {names.getDebugName(13) or 'not stated in the font'} {names.getDebugName(14) or ''}".rstrip()]
    packaged = _packaged_font()
    if packaged and packaged.resolve() == source.resolve():
        from importlib.metadata import PackageNotFoundError, distribution

        try:
            dist = distribution(PACKAGE)
            lines.append(f"Font from the Python package {PACKAGE} {dist.version}; upstream: "
                         "https://github.com/notofonts/noto-cjk")
            licence = next((f for f in dist.files or () if "LICENSE" in f.name.upper()), None)
            text = licence.read_text(encoding="utf-8") if licence else dist.metadata.get("License")
            if text:
                lines += ["", text.strip()]
        except PackageNotFoundError:
            pass
    return "\n".join(lines) + "\n"


# Languages whose fonts a plain machine lacks: plain_fontconfig() hides every font covering one.
CJK_LANGUAGES = ("zh-cn", "zh-tw", "zh-hk", "zh-sg", "zh-mo", "ja", "ko")


def plain_fontconfig(folder: Path) -> Path:
    """A fontconfig file for headless Chromium that is the system's own configuration with every
    font covering Chinese, Japanese or Korean rejected: what a reader on a plain machine has.
    On a machine without CJK fonts (a plain Debian, this project's CI) it changes nothing;
    where one is installed it is hidden, so a page's Chinese can only come from the font the page
    ships, and a screenshot shows boxes if it does not."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "fonts.conf"
    patterns = "".join(f'<pattern><patelt name="lang"><string>{lang}</string></patelt></pattern>'
                       for lang in CJK_LANGUAGES)
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <cachedir>{escape(str(folder / 'cache'))}</cachedir>\n"
        f"  <selectfont><rejectfont>{patterns}</rejectfont></selectfont>\n"
        "</fontconfig>\n", encoding="utf-8")
    return conf
