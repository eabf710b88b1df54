"""Render DOT sources to ``<view>.dot/.png/.svg`` files: one ``dot`` run per view, in parallel, cached.

Why this shape:

* one ``dot -Tpng -o a.png -Tsvg -o a.svg`` process lays a view out once for both formats;
* views render in parallel (``jobs`` worker threads, each waiting on its own ``dot``);
* a view whose DOT hash matches ``manifest.json`` (in ``out_dir`` or ``previous_dir``) is not
  rendered again: its files are kept or copied. The manifest also lets CI confirm that the
  committed images belong to the committed DOT without comparing pixels. Each entry names
  the Graphviz version and the label font's file that drew it (:func:`toolchain`): images
  drawn by another Graphviz or font are rendered again (their bytes would differ), while
  ``archdoc check`` ignores that field (it never runs Graphviz);
* any Graphviz stderr output is an error (:class:`RenderError`), so warnings cannot pile up;
* the SVG's ``viewBox`` is fitted to its drawing (:func:`fit_svg_viewbox`: Graphviz 2.43 crops it);
* SVG icons are inlined as ``data:`` URIs: the SVG works anywhere, even inside ``<img>``;
  its text names a list of Japanese fonts (:data:`FONT_STACK`), not only the one we render with;
* large PNGs get a 256-colour palette (:func:`shrink_png`): the repository is size-limited;
* rendering into a staging folder with ``previous_dir`` lets the site build swap folders atomically.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import json
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from render.children import tied
from render.diagrams.icons import ICON_PX, icon_cache_dir, prepare_icons
from render.toolchain import font_identity, graphviz_version

__all__ = ["render_views", "RenderError", "RenderReport", "MANIFEST", "RENDERER", "sha256", "embed_svg_images",
           "icon_scratch_prefix", "svg_font_fallback", "fit_svg_viewbox", "FONT_STACK", "QUANTIZE_ABOVE", "shrink_png",
           "toolchain"]

MANIFEST = "manifest.json"
FONT_STACK = ("Noto Sans CJK JP, Noto Sans JP, Hiragino Sans, Hiragino Kaku Gothic ProN, Yu Gothic, "
              "Meiryo, sans-serif")
"""The SVG font list: the font the layout was measured with first, then what a reader's
Mac or Windows has, so text keeps a Japanese Gothic face of similar width everywhere."""
QUANTIZE_ABOVE = 256_000
"""PNGs larger than this (bytes) are re-encoded with a 256-colour palette (about a third
of the size; the diagrams use a few flat colours); smaller ones are not worth the time."""
_IMAGE_RE = re.compile(r'image="([^"]+)"')
_IMAGE_TAG_RE = re.compile(r"<image\b[^>]*>")
_HREF_RE = re.compile(r'((?:xlink:)?href)="([^"]*)"')
RENDERER = "2"
"""Version of what this module does after Graphviz (2: SVG viewBox fitted). Outputs recorded
with another version are rendered again even when their DOT is unchanged."""


class RenderError(RuntimeError):
    """Graphviz failed or printed anything on stderr for a view."""

    def __init__(self, view: str, message: str):
        super().__init__(f"{view}: {message.strip()}")
        self.view = view
        self.message = message


@dataclass
class RenderReport:
    out_dir: Path
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    """Views whose outputs were kept (same folder) or copied from ``previous_dir``."""
    removed: list[str] = field(default_factory=list)
    manifest: dict[str, dict[str, str]] = field(default_factory=dict)


def sha256(data: bytes) -> str:
    """Hex SHA-256 of ``data`` (the manifest's hash).

    >>> sha256(b"")[:8]
    'e3b0c442'
    """
    return hashlib.sha256(data).hexdigest()


def icon_scratch_prefix(pid: int | None = None) -> str:
    """Name prefix of a throwaway icon folder under the temp dir: ``archdoc-icons-<pid>-``.

    The process id lets a later build remove the folder of a build that was killed.

    >>> icon_scratch_prefix(42)
    'archdoc-icons-42-'
    """
    return f"archdoc-icons-{os.getpid() if pid is None else pid}-"


def _read_manifest(folder: Path | None) -> dict[str, dict[str, str]]:
    if folder is None or not (folder / MANIFEST).is_file():
        return {}
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def toolchain() -> str:
    """What drew a view besides its DOT: the Graphviz version and the label font's file.

    Recorded per view in the manifest; an entry with another value is not reused.
    """
    from render.diagrams.dot import FONT

    return f"graphviz {graphviz_version() or '(none)'}; {font_identity((FONT,)).split('; ')[0]}"


def _intact(folder: Path, view: str, entry: dict[str, str], dot_hash: str) -> bool:
    """True when ``folder`` holds outputs for ``view`` matching ``entry``, the wanted DOT hash and
    today's Graphviz and font."""
    if (entry.get("dot_sha256") != dot_hash or entry.get("renderer") != RENDERER
            or entry.get("toolchain") != toolchain()):
        return False
    for ext in ("dot", "png", "svg"):
        path = folder / f"{view}.{ext}"
        if not path.is_file() or sha256(path.read_bytes()) != entry.get(f"{ext}_sha256"):
            return False
    return True


def embed_svg_images(svg: str, icon_dir: Path) -> str:
    """Replace the ``xlink:href``/``href`` of ``<image>`` elements by ``data:`` URIs of the icons.

    Only files inside ``icon_dir`` are read: whatever a reference says, nothing else of the
    machine can end up inside a published SVG (a reference elsewhere raises ``ValueError``).

    >>> embed_svg_images('<image xlink:href="#x"/>', Path("."))
    '<image xlink:href="#x"/>'
    >>> embed_svg_images('<text>href="/etc/passwd"</text>', Path("."))
    '<text>href="/etc/passwd"</text>'
    """
    root = Path(icon_dir).resolve()

    def inline(match: re.Match) -> str:
        attr, target = match.group(1), match.group(2)
        if target.startswith(("data:", "#")):
            return match.group(0)
        path = Path(target) if Path(target).is_absolute() else root / target
        path = path.resolve()
        if root not in path.parents or path.suffix != ".png":
            raise ValueError(f"SVG image outside the icon folder: {target}")
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'{attr}="data:image/png;base64,{data}"'

    def image(match: re.Match) -> str:
        return _HREF_RE.sub(inline, match.group(0))

    return _IMAGE_TAG_RE.sub(image, svg)


def svg_font_fallback(svg: str, font: str = "Noto Sans CJK JP") -> str:
    """Replace ``font-family="<font>"`` by :data:`FONT_STACK` (Graphviz writes one family only).

    >>> svg_font_fallback('<text font-family="Noto Sans CJK JP">x</text>')
    '<text font-family="Noto Sans CJK JP, Noto Sans JP, Hiragino Sans, Hiragino Kaku Gothic ProN, Yu Gothic, Meiryo, sans-serif">x</text>'
    """
    return svg.replace(f'font-family="{font}"', f'font-family="{FONT_STACK}"')


_SVG_TAG = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"\s+viewBox="[^"]*"')
_GRAPH0 = re.compile(r'<g id="graph0" class="graph" transform="scale\(([\d.]+) ([\d.]+)\) rotate\(0\) '
                     r'translate\((-?[\d.]+) (-?[\d.]+)\)">\s*<title>.*?</title>\s*<polygon [^>]*points="([^"]+)"', re.S)


def fit_svg_viewbox(svg: str) -> str:
    """Make the ``viewBox`` cover what the SVG draws (Graphviz 2.43 crops it when ``dpi`` is set).

    With ``dpi`` other than 72, Graphviz 2.38-2.4x scales the drawing (``transform="scale(s s)"``)
    and the ``width``/``height`` but not the ``viewBox``, so a browser shows only its top-left
    1/s. The drawing's extent is its background polygon under the group's transform; the
    ``viewBox`` is set to exactly that, which is also what a Graphviz without the bug writes,
    so the fix is right (and a no-op) on every version.

    >>> head = ('<svg width="122pt" height="61pt"\\n viewBox="0.00 0.00 100.00 50.00" x="">\\n'
    ...         '<g id="graph0" class="graph" transform="scale(1.22 1.22) rotate(0) translate(4 46)">\\n'
    ...         '<title>v</title>\\n<polygon fill="white" points="-4,4 -4,-46 96,-46 96,4 -4,4"/>')
    >>> fit_svg_viewbox(head).split("\\n")[1]
    ' viewBox="0.00 0.00 122.00 61.00" x="">'
    >>> fit_svg_viewbox(fit_svg_viewbox(head)) == fit_svg_viewbox(head)
    True
    """
    tag, graph = _SVG_TAG.search(svg), _GRAPH0.search(svg)
    if tag is None or graph is None:
        return svg
    sx, sy, tx, ty = (float(v) for v in graph.groups()[:4])
    points = [tuple(float(c) for c in p.split(",")) for p in graph.group(5).split()]
    xs = [sx * (x + tx) for x, _ in points]
    ys = [sy * (y + ty) for _, y in points]
    box = f"{min(xs):.2f} {min(ys):.2f} {max(xs) - min(xs):.2f} {max(ys) - min(ys):.2f}"
    return svg[:tag.start()] + tag.group(0).rsplit('viewBox="', 1)[0] + f'viewBox="{box}"' + svg[tag.end():]


def shrink_png(path: Path, above: int = QUANTIZE_ABOVE) -> None:
    """Palette-quantise a large PNG in place (deterministic: same pixels, same bytes)."""
    if path.stat().st_size <= above:
        return
    from PIL import Image

    with Image.open(path) as image:
        flat = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                                             dither=Image.Dither.NONE)
    flat.save(path, "PNG")


def _run_dot(view: str, dot_text: str, out_dir: Path, icon_dir: Path) -> None:
    png, svg = out_dir / f"{view}.png", out_dir / f"{view}.svg"
    cmd = ["dot", f"-Gimagepath={icon_dir}", "-Tpng", "-o", str(png), "-Tsvg", "-o", str(svg)]
    try:
        proc = subprocess.run(tied(cmd), input=dot_text.encode("utf-8"), capture_output=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RenderError(view, f"could not run dot: {exc}") from exc
    if proc.returncode != 0 or proc.stderr.strip():
        raise RenderError(view, proc.stderr.decode("utf-8", "replace") or f"dot exited with {proc.returncode}")
    text = fit_svg_viewbox(svg_font_fallback(svg.read_text(encoding="utf-8")))
    svg.write_text(embed_svg_images(text, icon_dir), encoding="utf-8")
    shrink_png(png)


def _entry(folder: Path, view: str) -> dict[str, str]:
    return {f"{ext}_sha256": sha256((folder / f"{view}.{ext}").read_bytes()) for ext in ("dot", "png", "svg")}


def render_views(dot_by_view: dict[str, str], out_dir: Path, jobs: int = 2,
                 previous_dir: Path | None = None, prune: bool = True) -> RenderReport:
    """Write ``<view>.dot/.png/.svg`` and ``manifest.json`` for every view into ``out_dir``.

    Views whose DOT is unchanged (per the manifest of ``out_dir``, then of ``previous_dir``)
    are not rendered again. With ``prune``, outputs of views no longer in ``dot_by_view`` are
    removed from ``out_dir``. Raises :class:`RenderError` for the first view that failed.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = RenderReport(out_dir)
    here, before = _read_manifest(out_dir), _read_manifest(previous_dir)
    todo: list[str] = []
    for view in sorted(dot_by_view):
        dot_hash = sha256(dot_by_view[view].encode("utf-8"))
        if _intact(out_dir, view, here.get(view, {}), dot_hash):
            report.reused.append(view)
            report.manifest[view] = here[view]
        elif previous_dir is not None and _intact(Path(previous_dir), view, before.get(view, {}), dot_hash):
            for ext in ("dot", "png", "svg"):
                shutil.copyfile(Path(previous_dir) / f"{view}.{ext}", out_dir / f"{view}.{ext}")
            report.reused.append(view)
            report.manifest[view] = before[view]
        else:
            todo.append(view)
    if todo:
        tokens = {t for v in todo for t in _IMAGE_RE.findall(dot_by_view[v])}
        with contextlib.ExitStack() as cleanup:
            try:
                icon_dir = prepare_icons(tokens, icon_cache_dir(ICON_PX), ICON_PX)
            except OSError:  # read-only home: resize into a throwaway folder, removed on any exit
                scratch = cleanup.enter_context(tempfile.TemporaryDirectory(prefix=icon_scratch_prefix()))
                icon_dir = prepare_icons(tokens, Path(scratch), ICON_PX)
            for view in todo:
                (out_dir / f"{view}.dot").write_text(dot_by_view[view], encoding="utf-8")
            with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
                # longest first: the big overviews do not end up alone at the tail
                order = sorted(todo, key=lambda v: (-len(dot_by_view[v]), v))
                futures = [pool.submit(_run_dot, v, dot_by_view[v], out_dir, icon_dir) for v in order]
                for future in futures:
                    future.result()
        for view in todo:
            report.manifest[view] = {"dot_sha256": sha256(dot_by_view[view].encode("utf-8")), "renderer": RENDERER,
                                     "toolchain": toolchain(),
                                     **{k: v for k, v in _entry(out_dir, view).items() if k != "dot_sha256"}}
            report.rendered.append(view)
    if prune:
        for stale in sorted(set(here) - set(dot_by_view)):
            for ext in ("dot", "png", "svg"):
                (out_dir / f"{stale}.{ext}").unlink(missing_ok=True)
            report.removed.append(stale)
    manifest = json.dumps(dict(sorted(report.manifest.items())), indent=2, sort_keys=True) + "\n"
    (out_dir / MANIFEST).write_text(manifest, encoding="utf-8")
    return report
