#ifndef CONVTUI_CNCURSES_SHIM_H
#define CONVTUI_CNCURSES_SHIM_H
/* SwiftPM drops the -D flags pkg-config gives, so wide-character APIs must be enabled here. */
#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>
#endif
