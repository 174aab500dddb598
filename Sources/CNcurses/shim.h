#ifndef CONVTUI_CNCURSES_SHIM_H
#define CONVTUI_CNCURSES_SHIM_H
/* SwiftPM drops the -D flags pkg-config gives, so wide-character APIs must be enabled here. */
#define NCURSES_WIDECHAR 1
#include <langinfo.h>
#include <locale.h>
#include <string.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Macros and globals Swift cannot import (or sees as shared mutable state) are read here. */

static inline int convtui_attr_bold(void) { return (int)A_BOLD; }
static inline int convtui_attr_reverse(void) { return (int)A_REVERSE; }
static inline int convtui_attr_dim(void) { return (int)A_DIM; }
static inline int convtui_attr_underline(void) { return (int)A_UNDERLINE; }
static inline int convtui_color_pair(short pair) { return (int)COLOR_PAIR(pair); }
static inline int convtui_lines(void) { return LINES; }
static inline int convtui_cols(void) { return COLS; }
static inline int convtui_colors(void) { return COLORS; }
static inline WINDOW *convtui_stdscr(void) { return stdscr; }
/* The next update clears the terminal and writes every cell again (Ctrl-L). */
static inline void convtui_repaint_all(void) { clearok(curscr, TRUE); }
/* The user's locale, but with UTF-8 characters even when the environment names none
   (a bare tmux or cron), since every transcript may hold wide characters. */
static inline void convtui_set_locale(void) {
    setlocale(LC_ALL, "");
    if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0) setlocale(LC_CTYPE, "C.UTF-8");
}
/* The terminal's own idea of a character's width, to guard against disagreeing with it. */
static inline int convtui_wcwidth(unsigned int c) { return wcwidth((wchar_t)c); }
#endif
