// libpulse's blocking "simple" API (playback and capture streams) and its error strings.
#include <pulse/simple.h>
#include <pulse/error.h>
