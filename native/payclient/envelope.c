#include "envelope.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "sm3.h"
#include "sm4.h"

#define TAG_SIZE 16
#define HKDF_SALT "onepay/v1"

const char *suite_name(suite_id suite) {
    return suite == SUITE_AES ? "AES" : "SM";
}

size_t suite_iv_size(suite_id suite) {
    return suite == SUITE_AES ? 12 : 16;
}

int suite_hmac(suite_id suite, const uint8_t *key, size_t key_len, const chunk *parts, size_t count,
               uint8_t out[32]) {
    size_t i;
    hmac_sm3_ctx ctx;
    if (suite == SUITE_AES) return system_hmac_sha256(key, key_len, parts, count, out);
    hmac_sm3_init(&ctx, key, key_len);
    for (i = 0; i < count; i++) hmac_sm3_update(&ctx, parts[i].p, parts[i].n);
    hmac_sm3_final(&ctx, out);
    return 1;
}

/* HKDF-Expand for one key of at most one hash length: T(1) = HMAC(PRK, info || 0x01). */
static int expand(suite_id suite, const uint8_t prk[32], const char *info, uint8_t *out, size_t len) {
    static const uint8_t one = 1;
    uint8_t t[32];
    chunk parts[2];
    parts[0].p = info;
    parts[0].n = strlen(info);
    parts[1].p = &one;
    parts[1].n = 1;
    if (!suite_hmac(suite, prk, 32, parts, 2, t)) return 0;
    memcpy(out, t, len);
    memset(t, 0, sizeof t);
    return 1;
}

int derive_keys(suite_id suite, const char *secret, size_t secret_len, suite_keys *keys) {
    uint8_t prk[32], check[32];
    chunk part;
    int ok;
    memset(keys, 0, sizeof *keys);
    keys->suite = suite;
    keys->enc_len = suite == SUITE_AES ? 32 : 16;
    part.p = secret;
    part.n = secret_len;
    ok = suite_hmac(suite, (const uint8_t *)HKDF_SALT, strlen(HKDF_SALT), &part, 1, prk) &&
         expand(suite, prk, "enc", keys->enc, keys->enc_len) &&
         (suite == SUITE_AES || expand(suite, prk, "auth", keys->auth, 32)) &&
         expand(suite, prk, "mac", keys->mac, 32) && expand(suite, prk, "kcv", keys->kcv_key, 32);
    if (ok) {
        part.p = "kcv";
        part.n = 3;
        ok = suite_hmac(suite, keys->kcv_key, 32, &part, 1, check);
        hex_encode(check, 8, keys->kcv);
    }
    memset(prk, 0, sizeof prk);
    return ok;
}

static void build_header(const header_fields *h, const char *suite, strbuf *out) {
    sb_puts(out, "onepay/v1\n");
    sb_puts(out, h->direction);
    sb_puts(out, "\n");
    sb_puts(out, h->appid);
    sb_puts(out, "\n");
    sb_puts(out, suite);
    sb_puts(out, "\n");
    sb_puts(out, h->ts);
    sb_puts(out, "\n");
    sb_puts(out, h->nonce);
    sb_puts(out, "\n");
    sb_puts(out, h->req_nonce);
}

/* §6: HMAC(macKey, H ‖ 0x0a ‖ P). */
static int signature(const suite_keys *keys, const strbuf *header, const char *plain, size_t len, uint8_t out[32]) {
    chunk parts[3];
    parts[0].p = header->data;
    parts[0].n = header->len;
    parts[1].p = "\n";
    parts[1].n = 1;
    parts[2].p = plain;
    parts[2].n = len;
    return suite_hmac(keys->suite, keys->mac, 32, parts, 3, out);
}

/* §5, suite SM: T = first 16 bytes of HMAC-SM3(authKey, H ‖ iv ‖ C). */
static void sm_tag(const suite_keys *keys, const strbuf *header, const uint8_t *iv, const uint8_t *c, size_t len,
                   uint8_t tag[32]) {
    chunk parts[3];
    parts[0].p = header->data;
    parts[0].n = header->len;
    parts[1].p = iv;
    parts[1].n = 16;
    parts[2].p = c;
    parts[2].n = len;
    suite_hmac(SUITE_SM, keys->auth, 32, parts, 3, tag);
}

int seal_envelope(const suite_keys *keys, const header_fields *h, const uint8_t *iv, const char *plain,
                  size_t plain_len, strbuf *body) {
    strbuf header;
    uint8_t *sealed, mac[32];
    size_t sealed_len, iv_size = suite_iv_size(keys->suite);
    char *b64, iv64[32], mac_hex[65];
    int ok = 0;

    sb_init(&header);
    build_header(h, suite_name(keys->suite), &header);
    sealed_len = (keys->suite == SUITE_SM ? (plain_len / 16 + 1) * 16 : plain_len) + TAG_SIZE;
    sealed = (uint8_t *)malloc(sealed_len);
    b64 = (char *)malloc(base64_encoded_size(sealed_len) + 1);
    if (sealed == NULL || b64 == NULL || header.failed) goto done;
    if (keys->suite == SUITE_SM) {
        size_t padded = sealed_len - TAG_SIZE;
        uint8_t pad = (uint8_t)(padded - plain_len), tag[32];
        sm4_key key;
        memcpy(sealed, plain, plain_len);
        memset(sealed + plain_len, pad, pad);
        sm4_set_key(&key, keys->enc);
        sm4_cbc_encrypt(&key, iv, sealed, sealed, padded);
        memset(&key, 0, sizeof key);
        sm_tag(keys, &header, iv, sealed, padded, tag);
        memcpy(sealed + padded, tag, TAG_SIZE);
    } else if (!aes_gcm_seal(keys->enc, iv, (const uint8_t *)header.data, header.len, (const uint8_t *)plain,
                             plain_len, sealed, sealed + plain_len)) {
        goto done;
    }
    if (!signature(keys, &header, plain, plain_len, mac)) goto done;
    base64_encode(sealed, sealed_len, b64);
    base64_encode(iv, iv_size, iv64);
    hex_encode(mac, 32, mac_hex);

    sb_puts(body, "{\"v\":1,\"appid\":");
    sb_json_string(body, h->appid, strlen(h->appid));
    sb_puts(body, ",\"suite\":\"");
    sb_puts(body, suite_name(keys->suite));
    sb_puts(body, "\",\"ts\":\"");
    sb_puts(body, h->ts);
    sb_puts(body, "\",\"nonce\":\"");
    sb_puts(body, h->nonce);
    sb_puts(body, "\",\"kcv\":\"");
    sb_puts(body, keys->kcv);
    sb_puts(body, "\",\"iv\":\"");
    sb_puts(body, iv64);
    sb_puts(body, "\",\"ct\":\"");
    sb_puts(body, b64);
    sb_puts(body, "\",\"mac\":\"");
    sb_puts(body, mac_hex);
    sb_puts(body, "\"}");
    ok = !body->failed;
done:
    if (sealed != NULL) {
        memset(sealed, 0, sealed_len);
        free(sealed);
    }
    free(b64);
    sb_free(&header);
    return ok;
}

/* A member that must be a string: its decoded UTF-8 in `out`. */
static int string_member(span object, const char *key, strbuf *out) {
    span value;
    return json_member(object, key, &value) && json_string_value(value, out);
}

static int is_hex(const strbuf *s, size_t len) {
    size_t i;
    if (s->len != len) return 0;
    for (i = 0; i < len; i++) {
        char c = s->data[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return 0;
    }
    return 1;
}

/* §2: "0" or [1-9][0-9]{0,11}. */
static int ts_value(const strbuf *s, long long *out) {
    size_t i;
    long long v = 0;
    if (s->len == 0 || s->len > 12 || (s->len > 1 && s->data[0] == '0')) return 0;
    for (i = 0; i < s->len; i++) {
        if (s->data[i] < '0' || s->data[i] > '9') return 0;
        v = v * 10 + (s->data[i] - '0');
    }
    *out = v;
    return 1;
}

/* §2: 1–256 characters, none of U+0000–U+001F, U+007F–U+009F. */
static int appid_ok(const strbuf *s) {
    size_t i, units = utf8_utf16_length(s->data, s->len);
    if (units == 0 || units > MAX_APPID_CHARS) return 0;
    for (i = 0; i < s->len; i++) {
        unsigned char c = (unsigned char)s->data[i];
        if (c < 0x20 || c == 0x7f) return 0;
        /* U+0080–U+009F are C2 80–C2 9F in UTF-8 */
        if (c == 0xc2 && i + 1 < s->len && (unsigned char)s->data[i + 1] <= 0x9f) return 0;
    }
    return 1;
}

static int version_is_one(span object) {
    span v;
    char number[32];
    if (!json_member(object, "v", &v) || json_type_of(v) != JSON_NUMBER || v.n >= sizeof number) return 0;
    memcpy(number, v.p, v.n);
    number[v.n] = 0;
    return strtod(number, NULL) == 1.0;
}

open_status open_envelope(const suite_keys *keys, const char *body, size_t len, const char *direction,
                          const char *appid, const char *req_nonce, long long now, strbuf *plain) {
    span object;
    strbuf appid_s, ts_s, suite_s, nonce_s, kcv_s, iv_s, ct_s, mac_s, header;
    uint8_t iv[16], *sealed = NULL, expected[32], got[32];
    long long ts = 0;
    long sealed_len;
    size_t iv_size = suite_iv_size(keys->suite), text_len = 0, limit;
    open_status status = OPEN_SHAPE;
    header_fields h;

    limit = strcmp(direction, "req") == 0 ? MAX_REQUEST_CHARS : MAX_RESPONSE_CHARS;
    sb_init(&appid_s), sb_init(&ts_s), sb_init(&suite_s), sb_init(&nonce_s), sb_init(&kcv_s);
    sb_init(&iv_s), sb_init(&ct_s), sb_init(&mac_s), sb_init(&header);
    /* Checks 1–11: the shape, before any key is used. */
    if (json_parse(body, len, &object) != JSON_OBJECT || !version_is_one(object)) goto done;
    if (!string_member(object, "appid", &appid_s) || !appid_ok(&appid_s)) goto done;
    if (!string_member(object, "ts", &ts_s) || !ts_value(&ts_s, &ts)) goto done;
    if (!string_member(object, "suite", &suite_s)) goto done;
    if (!string_member(object, "nonce", &nonce_s) || !is_hex(&nonce_s, 32)) goto done;
    if (!string_member(object, "kcv", &kcv_s) || !is_hex(&kcv_s, 16)) goto done;
    if (!string_member(object, "iv", &iv_s) || !string_member(object, "ct", &ct_s)) goto done;
    if (!string_member(object, "mac", &mac_s) || !is_hex(&mac_s, 64)) goto done;
    if (appid_s.failed || ts_s.failed || suite_s.failed || iv_s.failed || ct_s.failed) goto done;
    /* Not ours: another app's answer, or another suite's, cannot be opened with these keys. */
    if (strcmp(appid_s.data, appid) != 0) goto done;
    status = OPEN_CIPHER;
    if (strcmp(suite_s.data, suite_name(keys->suite)) != 0) goto done;
    status = OPEN_KCV;
    if (!equal_ct(kcv_s.data, keys->kcv, 16)) goto done;
    status = OPEN_STALE;
    if (now - ts > WINDOW_SECONDS || ts - now > WINDOW_SECONDS) goto done;

    /* Check 15: canonical base64, lengths, tag, decryption, UTF-8. */
    status = OPEN_CIPHER;
    if (base64_decode(iv_s.data, iv_s.len, iv, sizeof iv) != (long)iv_size) goto done;
    sealed = (uint8_t *)malloc(ct_s.len / 4 * 3 + 1);
    if (sealed == NULL) goto done;
    sealed_len = base64_decode(ct_s.data, ct_s.len, sealed, ct_s.len / 4 * 3);
    if (sealed_len < TAG_SIZE || (size_t)sealed_len > limit * 3 + 16 + TAG_SIZE) goto done;
    h.direction = direction;
    h.appid = appid_s.data;
    h.ts = ts_s.data;
    h.nonce = nonce_s.data;
    h.req_nonce = req_nonce;
    build_header(&h, suite_s.data, &header);
    if (header.failed) goto done;
    text_len = (size_t)sealed_len - TAG_SIZE;
    if (keys->suite == SUITE_SM) {
        sm4_key key;
        size_t pad, i;
        unsigned bad = 0;
        if (text_len == 0 || text_len % 16 != 0) goto done;
        sm_tag(keys, &header, iv, sealed, text_len, expected);
        if (!equal_ct(expected, sealed + text_len, TAG_SIZE)) goto done;
        sm4_set_key(&key, keys->enc);
        sm4_cbc_decrypt(&key, iv, sealed, sealed, text_len);
        memset(&key, 0, sizeof key);
        /* The tag held, so the padding was written by the key's holder; still check it whole. */
        pad = sealed[text_len - 1];
        if (pad == 0 || pad > 16) goto done;
        for (i = 0; i < pad; i++) bad |= (unsigned)(sealed[text_len - 1 - i] ^ pad);
        if (bad != 0) goto done;
        text_len -= pad;
    } else if (!aes_gcm_open(keys->enc, iv, (const uint8_t *)header.data, header.len, sealed, text_len,
                             sealed + text_len, sealed)) {
        goto done;
    }
    if (!utf8_valid((const char *)sealed, text_len)) goto done;

    /* Check 16: the signature over the plaintext exactly as decrypted. */
    status = OPEN_MAC;
    if (!hex_decode(mac_s.data, mac_s.len, got, 32) ||
        !signature(keys, &header, (const char *)sealed, text_len, expected) || !equal_ct(expected, got, 32))
        goto done;
    status = OPEN_TOO_LONG;
    if (utf8_utf16_length((const char *)sealed, text_len) > limit) goto done;
    sb_append(plain, sealed, text_len);
    status = plain->failed ? OPEN_CIPHER : OPEN_OK;
done:
    if (sealed != NULL) {
        memset(sealed, 0, ct_s.len / 4 * 3 + 1);
        free(sealed);
    }
    sb_free(&appid_s), sb_free(&ts_s), sb_free(&suite_s), sb_free(&nonce_s), sb_free(&kcv_s);
    sb_free(&iv_s), sb_free(&ct_s), sb_free(&mac_s), sb_free(&header);
    return status;
}

/* §8: the codes the platform answers unsealed, each meaning "refused before anything was done",
 * with the spec's text for an answer that brings none. */
static const char *const UNSEALED[][2] = {
    {"000001", "\xe6\x8a\xa5\xe6\x96\x87\xe5\x8a\xa0\xe8\xa7\xa3\xe5\xaf\x86\xe5\xa4\xb1\xe8\xb4\xa5"}, /* 报文加解密失败 */
    {"000002", "\xe9\xaa\x8c\xe7\xad\xbe\xe5\xa4\xb1\xe8\xb4\xa5"},                                     /* 验签失败 */
    {"000003", "\xe8\xaf\xb7\xe6\xb1\x82\xe6\x8a\xa5\xe6\x96\x87\xe4\xb8\xba\xe7\xa9\xba"},             /* 请求报文为空 */
    {"000004", "\xe8\xaf\xb7\xe6\xb1\x82\xe6\xa0\xbc\xe5\xbc\x8f\xe9\x9d\x9e\xe6\xb3\x95"},             /* 请求格式非法 */
    {"010003", "\xe5\xba\x94\xe7\x94\xa8\xe7\xbc\x96\xe5\x8f\xb7\xe4\xb8\xba\xe7\xa9\xba"},             /* 应用编号为空 */
    {"010004", "\xe5\xba\x94\xe7\x94\xa8\xe7\xbc\x96\xe5\x8f\xb7\xe9\x9d\x9e\xe6\xb3\x95"},             /* 应用编号非法 */
    {"010005", "\xe5\xba\x94\xe7\x94\xa8\xe5\xaf\x86\xe9\x92\xa5\xe9\x9d\x9e\xe6\xb3\x95"},             /* 应用密钥非法 */
    {"010006", "\xe8\xaf\xb7\xe6\xb1\x82\xe6\x97\xb6\xe9\x97\xb4\xe6\x88\xb3\xe4\xb8\xba\xe7\xa9\xba"}, /* 请求时间戳为空 */
    {"020002", "\xe5\x8f\x82\xe6\x95\xb0\xe8\xb6\x85\xe8\xbf\x87\xe9\x99\x90\xe5\xae\x9a\xe9\x95\xbf\xe5\xba\xa6"}, /* 参数超过限定长度 */
};

#define MAX_RESP_MSG_CHARS 256

/* The first `max` UTF-16 units of well-formed UTF-8, never splitting a character. */
static size_t prefix_units(const char *s, size_t len, size_t max) {
    size_t i = 0, units = 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        size_t u = n == 4 ? 2 : 1;
        if (units + u > max || i + n > len) break;
        units += u;
        i += n;
    }
    return i;
}

void read_answer(const suite_keys *keys, const char *appid, const char *req_nonce, long long now,
                 const char *body, size_t len, answer_read *out) {
    span object, code, ct;
    sb_init(&out->text);
    out->code[0] = 0;
    out->kind = ANSWER_INVALID;
    if (!utf8_valid(body, len) || json_parse(body, len, &object) == JSON_INVALID) {
        out->reason = "\xe5\xba\x94\xe7\xad\x94\xe4\xb8\x8d\xe6\x98\xaf JSON"; /* 应答不是 JSON */
        return;
    }
    if (json_type_of(object) != JSON_OBJECT) {
        out->reason = "\xe5\xba\x94\xe7\xad\x94\xe4\xb8\x8d\xe6\x98\xaf JSON \xe5\xaf\xb9\xe8\xb1\xa1"; /* 应答不是 JSON 对象 */
        return;
    }
    if (json_member(object, "respCode", &code) && !json_member(object, "ct", &ct)) {
        strbuf value, message;
        span msg;
        size_t i;
        /* 未加密的应答不可信 */
        out->reason = "\xe6\x9c\xaa\xe5\x8a\xa0\xe5\xaf\x86\xe7\x9a\x84\xe5\xba\x94\xe7\xad\x94\xe4\xb8\x8d\xe5\x8f\xaf\xe4\xbf\xa1";
        sb_init(&value);
        sb_init(&message);
        if (json_string_value(code, &value)) {
            for (i = 0; i < sizeof UNSEALED / sizeof UNSEALED[0]; i++) {
                if (strcmp(value.data != NULL ? value.data : "", UNSEALED[i][0]) != 0) continue;
                if (!(json_member(object, "respMsg", &msg) && json_string_value(msg, &message) && message.len > 0)) {
                    sb_free(&message);
                    sb_puts(&message, UNSEALED[i][1]);
                }
                sb_puts(&out->text, "{\"respCode\":\"");
                sb_puts(&out->text, UNSEALED[i][0]);
                sb_puts(&out->text, "\",\"respMsg\":");
                sb_json_string(&out->text, message.data, prefix_units(message.data, message.len, MAX_RESP_MSG_CHARS));
                sb_puts(&out->text, "}");
                memcpy(out->code, UNSEALED[i][0], 7);
                out->kind = out->text.failed || message.failed ? ANSWER_INVALID : ANSWER_UNSEALED;
                break;
            }
        }
        sb_free(&value);
        sb_free(&message);
        return;
    }
    if (open_envelope(keys, body, len, "resp", appid, req_nonce, now, &out->text) != OPEN_OK) {
        /* 应答校验失败 */
        out->reason = "\xe5\xba\x94\xe7\xad\x94\xe6\xa0\xa1\xe9\xaa\x8c\xe5\xa4\xb1\xe8\xb4\xa5";
        sb_free(&out->text);
        return;
    }
    {
        span answer, rc;
        if (json_parse(out->text.data, out->text.len, &answer) != JSON_OBJECT || !json_member(answer, "respCode", &rc) ||
            json_type_of(rc) != JSON_STRING) {
            out->reason = "\xe5\xba\x94\xe7\xad\x94\xe7\xbc\xba\xe5\xb0\x91 respCode"; /* 应答缺少 respCode */
            sb_free(&out->text);
            return;
        }
    }
    out->kind = ANSWER_SEALED;
}
