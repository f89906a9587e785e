/* The sealed envelope of docs/wire-format.md: keys (§3), header (§4), sealing (§5, §6), opening
 * (§7) and how a client reads an answer (§8). */
#ifndef ONEPAY_ENVELOPE_H
#define ONEPAY_ENVELOPE_H
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "text.h"

#define WINDOW_SECONDS 300
#define MAX_REQUEST_CHARS 2048
#define MAX_RESPONSE_CHARS 8192
#define MAX_APPID_CHARS 256

typedef struct {
    suite_id suite;
    uint8_t enc[32];
    size_t enc_len; /* 16 (SM4) or 32 (AES-256) */
    uint8_t auth[32];
    uint8_t mac[32];
    uint8_t kcv_key[32];
    char kcv[17];
} suite_keys;

const char *suite_name(suite_id suite);
size_t suite_iv_size(suite_id suite);

/* HKDF (salt "onepay/v1") of every key from the appsecret. 1 on success. */
int derive_keys(suite_id suite, const char *secret, size_t secret_len, suite_keys *keys);

typedef struct {
    const char *direction; /* "req" or "resp" */
    const char *appid;
    const char *ts;        /* decimal unix seconds */
    const char *nonce;     /* 32 lowercase hex */
    const char *req_nonce; /* "" for a request */
} header_fields;

/* The envelope JSON, members in the order the reference implementation writes them. 1 on success. */
int seal_envelope(const suite_keys *keys, const header_fields *h, const uint8_t *iv, const char *plain,
                  size_t plain_len, strbuf *body);

typedef enum { OPEN_OK, OPEN_SHAPE, OPEN_KCV, OPEN_STALE, OPEN_CIPHER, OPEN_MAC, OPEN_TOO_LONG } open_status;

/* Checks 11, 13–16 and 18 of §7 on a parsed envelope object, for `direction` and `req_nonce`, at unix
 * time `now`. The plaintext is appended to `plain` on OPEN_OK. `ts_out` receives the envelope's ts. */
open_status open_envelope(const suite_keys *keys, const char *body, size_t len, const char *direction,
                          const char *appid, const char *req_nonce, long long now, strbuf *plain);

typedef enum { ANSWER_SEALED, ANSWER_UNSEALED, ANSWER_INVALID } answer_kind;

typedef struct {
    answer_kind kind;
    strbuf text;       /* SEALED: the plaintext; UNSEALED: {"respCode":..,"respMsg":..} */
    char code[8];      /* UNSEALED: the respCode */
    const char *reason; /* INVALID: why (UTF-8, for the HIS log) */
} answer_read;

/* §8: what a client may believe of the platform's answer body. Free `out->text` after. */
void read_answer(const suite_keys *keys, const char *appid, const char *req_nonce, long long now,
                 const char *body, size_t len, answer_read *out);

#endif
