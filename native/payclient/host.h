/* What the client needs from the system it runs on: settings, HTTP, clock, desk. host_win.c is
 * Windows (WinHTTP, the user's profile, the default browser); the tests link their own. */
#ifndef ONEPAY_HOST_H
#define ONEPAY_HOST_H
#include <stddef.h>

#include "crypto.h"
#include "text.h"

#define SETTING_SIZE 1024 /* Char(256) of the spec, up to 4 UTF-8 bytes each */

/* What hop.trade.setinfo sets: the same members as the Node client's config.json. */
typedef struct {
    char serveraddr[SETTING_SIZE];
    char appid[SETTING_SIZE];
    char appsecret[SETTING_SIZE];
    suite_id suite;
} client_settings;

typedef enum { DESK_OPEN, DESK_PRINT, DESK_NONE } desk_mode;

typedef struct {
    unsigned connect_timeout_ms;
    unsigned answer_timeout_ms;
    unsigned desk_timeout_ms;
    desk_mode desk;
} client_options;

typedef enum { POST_ANSWER, POST_NOT_SENT, POST_TIMEOUT, POST_BROKEN } post_kind;

typedef struct {
    post_kind kind;
    int status;       /* POST_ANSWER: the HTTP status */
    strbuf body;      /* POST_ANSWER: the body as it came */
    char reason[160]; /* otherwise: what failed, ASCII, for the HIS log */
} post_result;

/* 1: loaded; 0: no setinfo yet; -1: unreadable (why in `error`, UTF-8). */
int host_load_settings(client_settings *settings, strbuf *error);
/* 1 on success; otherwise why in `error`. */
int host_save_settings(const client_settings *settings, strbuf *error);
void host_options(client_options *options);
/* POST `body` to settings->serveraddr. out->body is initialised by the host. */
void host_post(const client_settings *settings, const client_options *options, const char *body, size_t len,
               post_result *out);
long long host_now(void); /* unix seconds */
unsigned long long host_ticks_ms(void);
void host_sleep_ms(unsigned ms);
void host_show_desk(const char *url, desk_mode mode);
void host_log(const char *line); /* UTF-8, one line */

#endif
