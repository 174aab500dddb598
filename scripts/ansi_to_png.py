#!/usr/bin/env python3
"""Render a terminal screen captured with `tmux capture-pane -e -p -N` to a PNG.

Usage: ansi_to_png.py SCREEN.ans OUT.png --cols N --rows N

Understands the SGR codes tmux emits (bold, dim, reverse, the 8/16 colours, 256 colours and
true colour), lays characters out on a cell grid with East Asian Wide characters taking two
cells, draws box-drawing lines itself so frames join up, and uses DejaVu Sans Mono with a CJK
font (WenQuanYi Zen Hei or Noto Sans CJK) for wide characters.
"""
import argparse
import re
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
CJK_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]
SIZE = 16
BACKGROUND = (24, 26, 33)
FOREGROUND = (210, 212, 220)
PALETTE = [
    (40, 42, 54), (230, 90, 90), (120, 200, 110), (230, 190, 90),
    (100, 150, 240), (200, 120, 220), (90, 200, 210), (210, 212, 220),
    (100, 104, 120), (255, 120, 120), (150, 230, 140), (255, 220, 120),
    (130, 175, 255), (225, 150, 240), (120, 230, 240), (255, 255, 255),
]


def color_256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    level = 8 + (n - 232) * 10
    return (level, level, level)


def width(ch):
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


class Style:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None
        self.bg = None
        self.bold = False
        self.dim = False
        self.reverse = False

    def copy(self):
        s = Style()
        s.__dict__.update(self.__dict__)
        return s

    def apply(self, params):
        codes = [int(p) if p else 0 for p in params.split(";")] if params else [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                self.reset()
            elif c == 1:
                self.bold = True
            elif c == 2:
                self.dim = True
            elif c == 22:
                self.bold = self.dim = False
            elif c == 7:
                self.reverse = True
            elif c == 27:
                self.reverse = False
            elif 30 <= c <= 37:
                self.fg = PALETTE[c - 30]
            elif 90 <= c <= 97:
                self.fg = PALETTE[c - 90 + 8]
            elif c == 39:
                self.fg = None
            elif 40 <= c <= 47:
                self.bg = PALETTE[c - 40]
            elif 100 <= c <= 107:
                self.bg = PALETTE[c - 100 + 8]
            elif c == 49:
                self.bg = None
            elif c in (38, 48) and i + 1 < len(codes):
                if codes[i + 1] == 5 and i + 2 < len(codes):
                    value = color_256(codes[i + 2])
                    i += 2
                elif codes[i + 1] == 2 and i + 4 < len(codes):
                    value = tuple(codes[i + 2:i + 5])
                    i += 4
                else:
                    value = None
                if c == 38:
                    self.fg = value
                else:
                    self.bg = value
            i += 1

    def colors(self):
        fg = self.fg or FOREGROUND
        if self.bold and self.fg in PALETTE[:8]:
            fg = PALETTE[PALETTE.index(self.fg) + 8]
        bg = self.bg or BACKGROUND
        if self.dim:
            fg = tuple((a + b) // 2 for a, b in zip(fg, bg))
        if self.reverse:
            fg, bg = bg, fg
        return fg, bg


def parse(text, cols, rows):
    grid = [[(" ", Style(), 1) for _ in range(cols)] for _ in range(rows)]
    style = Style()
    for y, line in enumerate(text.split("\n")[:rows]):
        x = 0
        for token in re.split(r"(\x1b\[[0-9;]*[A-Za-z])", line):
            if token.startswith("\x1b["):
                if token.endswith("m"):
                    style.apply(token[2:-1])
                continue
            for ch in token:
                w = width(ch)
                if w == 0:
                    if x > 0:
                        prev = grid[y][x - 1]
                        grid[y][x - 1] = (prev[0] + ch, prev[1], prev[2])
                    continue
                if x + w > cols:
                    break
                grid[y][x] = (ch, style.copy(), w)
                if w == 2:
                    grid[y][x + 1] = ("", style.copy(), 0)
                x += w
    return grid


# Box-drawing characters as (up, down, left, right) line weights: 1 single, 2 double.
BOX = {
    "─": (0, 0, 1, 1), "│": (1, 1, 0, 0), "┌": (0, 1, 0, 1), "┐": (0, 1, 1, 0),
    "└": (1, 0, 0, 1), "┘": (1, 0, 1, 0), "═": (0, 0, 2, 2), "║": (2, 2, 0, 0),
    "╔": (0, 2, 0, 2), "╗": (0, 2, 2, 0), "╚": (2, 0, 0, 2), "╝": (2, 0, 2, 0),
}


def draw_box(draw, ch, x, y, cw, ch_h, fg):
    up, down, left, right = BOX[ch]
    cx, cy = x + cw // 2, y + ch_h // 2
    line = lambda *points: draw.line(points, fill=fg, width=1)
    if 2 in BOX[ch] and (up or down) and (left or right):
        # A double corner: an outer and an inner stroke, each bending once.
        dv = 1 if down else -1
        dh = 1 if right else -1
        vertical_edge = y + ch_h if down else y
        horizontal_edge = x + cw if right else x
        for side in (-2, 2):
            bx, by = cx + side * dh, cy + side * dv
            line((bx, vertical_edge), (bx, by), (horizontal_edge, by))
        return
    for weight, (x0, y0, x1, y1) in (
        (up, (cx, y, cx, cy)), (down, (cx, cy, cx, y + ch_h)),
        (left, (x, cy, cx, cy)), (right, (cx, cy, x + cw, cy)),
    ):
        if weight == 1:
            line((x0, y0), (x1, y1))
        elif weight == 2:
            dx, dy = (2, 0) if x0 == x1 else (0, 2)
            line((x0 - dx, y0 - dy), (x1 - dx, y1 - dy))
            line((x0 + dx, y0 + dy), (x1 + dx, y1 + dy))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("screen")
    parser.add_argument("output")
    parser.add_argument("--cols", type=int, required=True)
    parser.add_argument("--rows", type=int, required=True)
    args = parser.parse_args()

    regular = ImageFont.truetype(FONT_DIR + "DejaVuSansMono.ttf", SIZE)
    bold = ImageFont.truetype(FONT_DIR + "DejaVuSansMono-Bold.ttf", SIZE)
    symbols = ImageFont.truetype(FONT_DIR + "DejaVuSans.ttf", SIZE)
    cjk_path = next((p for p in CJK_CANDIDATES if __import__("os").path.exists(p)), None)
    if cjk_path is None:
        raise SystemExit("no CJK font: apt-get install fonts-wqy-zenhei")
    cjk = ImageFont.truetype(cjk_path, SIZE)
    coverage = {}

    def glyph(ch):
        im = Image.new("L", (SIZE * 2, SIZE * 2))
        ImageDraw.Draw(im).text((0, 0), ch, font=regular, fill=255)
        return im.tobytes()

    missing = glyph("\ue000")

    def has_glyph(ch):
        if ch not in coverage:
            coverage[ch] = glyph(ch) != missing
        return coverage[ch]

    cell_w = int(round(regular.getlength("M")))
    ascent, descent = regular.getmetrics()
    cell_h = ascent + descent + 3
    with open(args.screen, encoding="utf-8", errors="replace") as f:
        grid = parse(f.read(), args.cols, args.rows)

    pad = 12
    image = Image.new("RGB", (args.cols * cell_w + 2 * pad, args.rows * cell_h + 2 * pad), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for y, row in enumerate(grid):
        for x, (text, style, w) in enumerate(row):
            if w == 0:
                continue
            fg, bg = style.colors()
            px, py = pad + x * cell_w, pad + y * cell_h
            draw.rectangle((px, py, px + w * cell_w - 1, py + cell_h - 1), fill=bg)
            if text == " ":
                continue
            if text in BOX:
                draw_box(draw, text, px, py, cell_w, cell_h, fg)
                continue
            if w == 2:
                font = cjk
            elif has_glyph(text[0]):
                font = bold if style.bold else regular
            else:
                font = symbols
            draw.text((px, py + 1), text, font=font, fill=fg)
    image.save(args.output)


if __name__ == "__main__":
    main()
