/*
 * A bounded, seeded fuzz of the client's pure-C parts, built natively with
 * -fsanitize=address,undefined (test/dll/native.test.ts): mutated pindata through
 * client_pay_trans, and mutated platform answers (sealed, plain, garbage; HTTP
 * 200/404/500) through the reader, the skew retry and the desk wait. Any read or
 * write past a buffer aborts under the sanitizers; every answer must be a JSON
 * object with a respCode.
 *   fuzz <seed> <iterations>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "envelope.h"
#include "host.h"
#include "json.h"

static unsigned long long state;
static unsigned next_random(void) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(state >> 33);
}

static const char APPID[] = "op0123456789abcdef";
static const char SECRET[] = "K7gNU3sdo-OL0wNhqoVWhr3g6s1xYv72ol_pe_Unols";
static suite_id current_suite;
static unsigned long long ticks;
static long long clock_now = 1700000000;

int host_load_settings(client_settings *s, strbuf *error) {
    (void)error;
    memset(s, 0, sizeof *s);
    strcpy(s->serveraddr, "http://127.0.0.1:1/onepay-web/oneweb/oneapi");
    strcpy(s->appid, APPID);
    strcpy(s->appsecret, SECRET);
    s->suite = current_suite;
    return 1;
}
int host_save_settings(const client_settings *s, strbuf *error) {
    (void)s, (void)error;
    return 1;
}
void host_options(client_options *o) {
    o->connect_timeout_ms = 5000;
    o->answer_timeout_ms = 60000;
    o->desk_timeout_ms = 5000;
    o->desk = DESK_NONE;
}
long long host_now(void) {
    return clock_now;
}
unsigned long long host_ticks_ms(void) {
    return ticks;
}
void host_sleep_ms(unsigned ms) {
    ticks += ms;
}
void host_show_desk(const char *url, desk_mode mode) {
    (void)url, (void)mode;
}
void host_log(const char *line) {
    (void)line;
}

static const char *const PINDATA[] = {
    "{\"transType\":\"hop.account.info\",\"param\":{\"operatorId\":\"001\",\"operatorName\":\"张三\",\"cardNo\":\"D1\"}}",
    "{\"transType\":\"hop.trade.setinfo\",\"param\":{\"serveraddr\":\"http://h/x\",\"appid\":\"a\",\"appsecret\":\"s\"}}",
    "{\"transType\":\"hop.trade.recharge\",\"param\":{\"extra\":{\"deskflak\":\"0\",\"a\":[1,2.5e3,true,null]},\"n\":\"\\ud83d\\ude00\\u0041\"}}",
    "  null ",
    "[1,2,3]",
    "{\"a\":\"\\ud800\"}",
};

static const char *const ANSWERS[] = {
    "{\"respCode\":\"000000\",\"respMsg\":\"处理成功\"}",
    "{\"respCode\":\"040038\",\"respMsg\":\"正在交易\",\"param\":{\"deskUrl\":\"http://127.0.0.1/desk/x\",\"traceNo\":\"T1\"}}",
    "{\"respCode\":\"040038\",\"param\":{\"deskUrl\":\"\"}}",
};

static void mutate(strbuf *text) {
    int edits = (int)(next_random() % 6), i;
    static const char pieces[][8] = {"\"", "\\", "\\u", "{", "}", "[", "]", ",", ":", "\xe5", "\xff", "\x00", "0", "-", "e", "\\ud800"};
    for (i = 0; i < edits && text->len > 0; i++) {
        size_t at = next_random() % text->len;
        unsigned kind = next_random() % 4;
        if (kind == 0) text->data[at] = (char)(next_random() & 0xff);
        else if (kind == 1) {
            memmove(text->data + at, text->data + at + 1, text->len - at - 1);
            text->len--;
            text->data[text->len] = 0;
        } else if (kind == 2) {
            text->len = at; /* truncate */
            text->data[at] = 0;
        } else {
            const char *piece = pieces[next_random() % (sizeof pieces / sizeof pieces[0])];
            size_t n = piece[0] == 0 ? 1 : strlen(piece);
            strbuf grown;
            sb_init(&grown);
            sb_append(&grown, text->data, at);
            sb_append(&grown, piece, n);
            sb_append(&grown, text->data + at, text->len - at);
            sb_free(text);
            *text = grown;
        }
    }
}

/* The platform: a sealed answer to this very request (often mutated), a plain one, or garbage. */
void host_post(const client_settings *s, const client_options *o, const char *body, size_t len, post_result *out) {
    span object, nonce_value;
    strbuf nonce;
    suite_keys keys;
    unsigned kind = next_random() % 10;
    (void)o;
    sb_init(&out->body);
    sb_init(&nonce);
    out->status = (int[]){200, 200, 200, 404, 500}[next_random() % 5];
    out->kind = POST_ANSWER;
    out->reason[0] = 0;
    if (kind == 0) {
        out->kind = (post_kind)(1 + next_random() % 3);
        strcpy(out->reason, "fuzz");
        return;
    }
    if (json_parse(body, len, &object) != JSON_OBJECT || !json_member(object, "nonce", &nonce_value) ||
        !json_string_value(nonce_value, &nonce)) {
        sb_puts(&out->body, "not an envelope");
        sb_free(&nonce);
        return;
    }
    if (kind <= 6) {
        header_fields h;
        uint8_t iv[16] = {1, 2, 3};
        const char *answer = ANSWERS[next_random() % 3];
        derive_keys(s->suite, s->appsecret, strlen(s->appsecret), &keys);
        h.direction = "resp";
        h.appid = s->appid;
        h.ts = "1700000001";
        h.nonce = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
        h.req_nonce = nonce.data;
        seal_envelope(&keys, &h, iv, answer, strlen(answer), &out->body);
    } else if (kind == 7) {
        sb_puts(&out->body, "{\"respCode\":\"010006\",\"respMsg\":\"请求时间戳超出有效期: 须在当前时间 ±300 秒内 (当前 1700000999)\"}");
    } else if (kind == 8) {
        sb_puts(&out->body, "{\"respCode\":\"000000\",\"respMsg\":\"forged\"}");
    } else {
        sb_puts(&out->body, "{\"respCode\":\"010005\"}");
    }
    if (next_random() % 2) mutate(&out->body);
    sb_free(&nonce);
}

static void check_answer(const strbuf *answer, const char *what) {
    span object, code;
    if (answer->data == NULL || json_parse(answer->data, answer->len, &object) != JSON_OBJECT ||
        !json_member(object, "respCode", &code) || json_type_of(code) != JSON_STRING) {
        fprintf(stderr, "not an answer after %s: %s\n", what, answer->data ? answer->data : "(null)");
        exit(1);
    }
}

int main(int argc, char **argv) {
    long i, iterations = argc > 2 ? atol(argv[2]) : 1000;
    unsigned counts[4] = {0, 0, 0, 0};
    state = argc > 1 ? strtoull(argv[1], NULL, 10) : 1;
    for (i = 0; i < iterations; i++) {
        strbuf pindata, answer, bytes;
        char code[RESP_CODE_SIZE];
        uint8_t small[8];
        span value;
        current_suite = (i & 1) ? SUITE_AES : SUITE_SM;
        clock_now = 1700000000 + (long long)(next_random() % 3) - 1;
        sb_init(&pindata);
        sb_init(&answer);
        sb_puts(&pindata, PINDATA[next_random() % (sizeof PINDATA / sizeof PINDATA[0])]);
        mutate(&pindata);
        client_pay_trans(pindata.data, pindata.len, &answer);
        check_answer(&answer, "client_pay_trans");
        client_answer_code(answer.data, answer.len, code);
        counts[code[0] == '-' ? 0 : strcmp(code, "000000") == 0 ? 1 : strcmp(code, "040038") == 0 ? 2 : 3]++;
        /* The readers alone on the same mutated text, into buffers of exact size. */
        if (json_parse(pindata.data, pindata.len, &value) != JSON_INVALID) {
            sb_init(&bytes);
            json_minify(value, &bytes);
            json_string_value(value, &bytes);
            sb_free(&bytes);
        }
        base64_decode(pindata.data, pindata.len, small, sizeof small);
        utf8_utf16_length(pindata.data, pindata.len);
        sb_free(&pindata);
        sb_free(&answer);
    }
    printf("{\"iterations\":%ld,\"negative\":%u,\"ok\":%u,\"desk\":%u,\"other\":%u,\"clockOffset\":%ld}\n", iterations,
           counts[0], counts[1], counts[2], counts[3], client_clock_offset());
    return 0;
}
