// The ncurses binding for Swift. Wide-character support must be switched on here,
// before the header is read: SwiftPM drops pkg-config's -D flags, which would
// silently turn it off. Macros Swift cannot import are wrapped as inline functions.
#ifndef MESHPLAY_CNCURSES_SHIM_H
#define MESHPLAY_CNCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1

#include <locale.h>
#include <stdio.h>
#include <ncursesw/curses.h>

static inline attr_t mp_A_NORMAL(void) { return A_NORMAL; }
static inline attr_t mp_A_BOLD(void) { return A_BOLD; }
static inline attr_t mp_A_DIM(void) { return A_DIM; }
static inline attr_t mp_A_REVERSE(void) { return A_REVERSE; }
static inline attr_t mp_A_UNDERLINE(void) { return A_UNDERLINE; }
static inline attr_t mp_A_STANDOUT(void) { return A_STANDOUT; }

// ACS_* read acs_map, which is filled in only once the terminal is set up.
static inline chtype mp_ACS_HLINE(void) { return ACS_HLINE; }
static inline chtype mp_ACS_VLINE(void) { return ACS_VLINE; }
static inline chtype mp_ACS_ULCORNER(void) { return ACS_ULCORNER; }
static inline chtype mp_ACS_URCORNER(void) { return ACS_URCORNER; }
static inline chtype mp_ACS_LLCORNER(void) { return ACS_LLCORNER; }
static inline chtype mp_ACS_LRCORNER(void) { return ACS_LRCORNER; }

static inline void mp_getmaxyx(WINDOW *window, int *rows, int *columns) {
    getmaxyx(window, *rows, *columns);
}

static inline int mp_KEY_F(int n) { return KEY_F(n); }

// Swift 6 rejects the C globals stdin/stdout as unsafe shared state.
static inline FILE *mp_stdin(void) { return stdin; }
static inline FILE *mp_stdout(void) { return stdout; }

// Swift 6 rejects the stdscr global; ncurses keeps stdscr sized to the terminal on resize.
static inline WINDOW *mp_stdscr(void) { return stdscr; }
static inline int mp_colors(void) { return COLORS; }

#endif
