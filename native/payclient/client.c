/*
 * payTrans as the Node client (src/client/) does it, in C: local checks, setinfo,
 * sealing, the transport codes, the clock-skew retry and the cashier desk wait.
 * Pure C over host.h, so the tests run it natively under the sanitizers too.
 */
#include "client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "host.h"
#include "json.h"

#define FIRST_REPLAY_MS 1000
#define MAX_REPLAY_MS 5000

/* Seconds the platform's clock is ahead of ours, learnt from a 010006 answer and kept for the process.
 * A 32-bit value: its reads and writes are atomic on every Windows target. */
static volatile long clock_offset;

long client_clock_offset(void) {
    return clock_offset;
}

void client_local_answer(strbuf *answer, const char *code, const char *text, const char *detail) {
    strbuf message;
    sb_init(&message);
    sb_puts(&message, text);
    if (detail != NULL && detail[0] != 0) {
        sb_puts(&message, ": ");
        sb_puts(&message, detail);
    }
    sb_free(answer);
    sb_puts(answer, "{\"respCode\":\"");
    sb_puts(answer, code);
    sb_puts(answer, "\",\"respMsg\":");
    sb_json_string(answer, message.data != NULL ? message.data : "", message.len);
    sb_puts(answer, "}");
    sb_free(&message);
}

void client_answer_code(const char *answer, size_t len, char code[RESP_CODE_SIZE]) {
    span object, value;
    strbuf text;
    size_t i;
    int ok = 0;
    sb_init(&text);
    if (json_parse(answer, len, &object) == JSON_OBJECT && json_member(object, "respCode", &value) &&
        json_string_value(value, &text) && text.len > 0 && text.len < RESP_CODE_SIZE) {
        ok = 1;
        for (i = 0; i < text.len; i++) {
            char c = text.data[i];
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-')) ok = 0;
        }
    }
    if (ok) memcpy(code, text.data, text.len + 1);
    else memcpy(code, "-3", 3);
    sb_free(&text);
}

/* Texts of the Node client (src/protocol/codes.ts), so the HIS log reads the same whichever answered. */
#define TEXT_NOT_SENT "无法连接支付平台, 交易未发送"
#define TEXT_BROKEN "交易已发送但未收到有效应答, 结果未知, 请先查询交易结果"
#define TEXT_TIMEOUT "等待支付平台应答超时, 结果未知, 请先查询交易结果"

static void transport_answer(const post_result *r, strbuf *answer) {
    if (r->kind == POST_NOT_SENT) client_local_answer(answer, "-7", TEXT_NOT_SENT, r->reason);
    else if (r->kind == POST_TIMEOUT) client_local_answer(answer, "-28", TEXT_TIMEOUT, r->reason);
    else client_local_answer(answer, "-3", TEXT_BROKEN, r->reason);
}

/* "(当前 <seconds>)" in a 010006 message: the platform's clock (src/protocol/envelope/open.ts). */
static int platform_time(const char *answer, size_t len, long long *seconds) {
    static const char marker[] = "(当前 ";
    span object, value;
    strbuf message;
    const char *at;
    long long v = 0;
    int digits = 0;
    sb_init(&message);
    if (json_parse(answer, len, &object) != JSON_OBJECT || !json_member(object, "respMsg", &value) ||
        !json_string_value(value, &message) || message.data == NULL) {
        sb_free(&message);
        return 0;
    }
    at = strstr(message.data, marker);
    if (at != NULL) {
        for (at += sizeof marker - 1; *at >= '0' && *at <= '9' && digits < 12; at++, digits++) v = v * 10 + (*at - '0');
        if (*at != ')') digits = 0;
    }
    sb_free(&message);
    *seconds = v;
    return digits > 0;
}

/* ts: decimal unix seconds, no sign (a clock before 1970 is not a clock). */
static void format_ts(long long now, char ts[24]) {
    char digits[24];
    int n = 0, k;
    unsigned long long t = now < 0 ? 0 : (unsigned long long)now;
    do digits[n++] = (char)('0' + t % 10), t /= 10;
    while (t > 0);
    for (k = 0; k < n; k++) ts[k] = digits[n - 1 - k];
    ts[n] = 0;
}

static void new_nonce(char nonce[33], uint8_t *iv, size_t iv_size) {
    uint8_t bytes[16];
    /* Without randomness nothing may be sealed: a repeated GCM iv gives the key's stream away. */
    if (!random_bytes(bytes, sizeof bytes) || !random_bytes(iv, iv_size)) {
        nonce[0] = 0;
        return;
    }
    hex_encode(bytes, sizeof bytes, nonce);
}

/* One sealed request and what may be believed of its answer (Node: PayClient.sendOnce + verify). */
static void send_once(const client_settings *s, const client_options *o, const suite_keys *keys, const char *plain,
                      size_t plain_len, strbuf *answer) {
    int attempt;
    for (attempt = 0; attempt < 2; attempt++) {
        char nonce[33], ts[24], detail[200];
        uint8_t iv[16];
        long long now = host_now() + clock_offset, platform_now;
        header_fields h;
        strbuf body;
        post_result result;
        answer_read read;

        new_nonce(nonce, iv, suite_iv_size(s->suite));
        if (nonce[0] == 0) {
            client_local_answer(answer, "-7", TEXT_NOT_SENT, "no random source");
            return;
        }
        format_ts(now, ts);
        h.direction = "req";
        h.appid = s->appid;
        h.ts = ts;
        h.nonce = nonce;
        h.req_nonce = "";
        sb_init(&body);
        if (!seal_envelope(keys, &h, iv, plain, plain_len, &body)) {
            sb_free(&body);
            client_local_answer(answer, "-7", TEXT_NOT_SENT, "sealing failed");
            return;
        }
        host_post(s, o, body.data, body.len, &result);
        sb_free(&body);
        if (result.kind != POST_ANSWER) {
            transport_answer(&result, answer);
            sb_free(&result.body);
            return;
        }
        read_answer(keys, s->appid, nonce, host_now() + clock_offset, result.body.data != NULL ? result.body.data : "",
                    result.body.len, &read);
        if (read.kind == ANSWER_UNSEALED && strcmp(read.code, "010006") == 0 && attempt == 0 &&
            platform_time(read.text.data, read.text.len, &platform_now)) {
            /* Our clock is off by more than the window: learn the platform's, and send once more with a
             * new nonce and ts. The offset is kept, so later calls are on time at once. */
            long learnt = (long)(platform_now - host_now());
            clock_offset = learnt;
            snprintf(detail, sizeof detail, "payclient: 本机时钟与支付平台相差 %ld 秒, 已按平台时间重发", learnt);
            host_log(detail);
            sb_free(&read.text);
            sb_free(&result.body);
            continue;
        }
        if (read.kind == ANSWER_INVALID) {
            if (result.status == 404 || result.status == 405) {
                /* Not the platform's answer, and a path that is not there: a wrong address, nothing processed. */
                snprintf(detail, sizeof detail, "HTTP %d, 服务地址不是支付平台接口, 请检查 setinfo 的 serveraddr",
                          result.status);
                client_local_answer(answer, "-7", TEXT_NOT_SENT, detail);
            } else {
                strbuf why;
                sb_init(&why);
                sb_puts(&why, "支付平台应答无法验证: ");
                sb_puts(&why, read.reason);
                snprintf(detail, sizeof detail, " (HTTP %d)", result.status);
                sb_puts(&why, detail);
                client_local_answer(answer, "-3", TEXT_BROKEN, why.data);
                sb_free(&why);
            }
        } else {
            sb_free(answer);
            sb_append(answer, read.text.data, read.text.len);
        }
        sb_free(&read.text);
        sb_free(&result.body);
        return;
    }
}

static int starts_with_ci(const char *s, const char *prefix) {
    for (; *prefix != 0; s++, prefix++) {
        char c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
        if (c != *prefix) return 0;
    }
    return 1;
}

/* One setinfo field: a string of 1–256 characters into `out`. 0 and an answer otherwise. */
static int setinfo_field(span param, const char *name, char out[SETTING_SIZE], strbuf *answer) {
    span value;
    strbuf text;
    size_t units;
    sb_init(&text);
    if (!json_member(param, name, &value) || json_type_of(value) == JSON_NULL ||
        (json_string_value(value, &text) && text.len == 0)) {
        client_local_answer(answer, "020001", "参数不能为空", name);
        sb_free(&text);
        return 0;
    }
    if (json_type_of(value) != JSON_STRING || text.failed || text.data == NULL) {
        client_local_answer(answer, "020000", "参数不合法", name);
        sb_free(&text);
        return 0;
    }
    units = utf8_utf16_length(text.data, text.len);
    if (units > 256 || text.len >= SETTING_SIZE) {
        client_local_answer(answer, "020002", "参数超过限定长度", name);
        sb_free(&text);
        return 0;
    }
    memcpy(out, text.data, text.len + 1);
    sb_free(&text);
    return 1;
}

/* hop.trade.setinfo is answered here and persisted, as the vendor's DLL does (Node: pay-trans.ts). */
static void setinfo(span request, strbuf *answer) {
    client_settings s;
    span param, suite;
    strbuf error, text;
    memset(&s, 0, sizeof s);
    if (!json_member(request, "param", &param) || json_type_of(param) == JSON_NULL) {
        client_local_answer(answer, "010008", "支付参数为空", "param");
        return;
    }
    if (json_type_of(param) != JSON_OBJECT) {
        client_local_answer(answer, "010007", "支付参数非法", "param");
        return;
    }
    if (!setinfo_field(param, "serveraddr", s.serveraddr, answer)) return;
    if (!(starts_with_ci(s.serveraddr, "http://") || starts_with_ci(s.serveraddr, "https://")) ||
        strchr(s.serveraddr, ' ') != NULL) {
        char shown[65];
        size_t n = strlen(s.serveraddr) > 64 ? 64 : strlen(s.serveraddr);
        memcpy(shown, s.serveraddr, n);
        shown[n] = 0;
        while (n > 0 && ((unsigned char)shown[n - 1] & 0xc0) == 0x80) shown[--n] = 0; /* no half character */
        if (n > 0 && (unsigned char)shown[n - 1] >= 0xc0) shown[--n] = 0;
        sb_init(&text);
        sb_puts(&text, "serveraddr 不是 http(s) 地址: ");
        sb_puts(&text, shown);
        client_local_answer(answer, "020000", "参数不合法", text.data);
        sb_free(&text);
        return;
    }
    if (!setinfo_field(param, "appid", s.appid, answer) || !setinfo_field(param, "appsecret", s.appsecret, answer))
        return;
    s.suite = SUITE_SM;
    sb_init(&text);
    if (json_member(param, "suite", &suite) && json_string_value(suite, &text) && text.data != NULL &&
        strcmp(text.data, "AES") == 0)
        s.suite = SUITE_AES;
    sb_free(&text);
    sb_init(&error);
    if (!host_save_settings(&s, &error)) client_local_answer(answer, "-7", "客户端配置错误", error.data);
    else client_local_answer(answer, "000000", "处理成功", NULL);
    sb_free(&error);
    memset(&s, 0, sizeof s);
}

static int is_blank(const char *s, size_t len) {
    size_t i;
    for (i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') return 0;
    return 1;
}

/* The desk URL of an answer that asks for one: 040038 with param.deskUrl (Node: desk.ts deskUrlOf). */
static int desk_url_of(const strbuf *answer, strbuf *url) {
    span object, param, value;
    char code[RESP_CODE_SIZE];
    client_answer_code(answer->data, answer->len, code);
    if (strcmp(code, "040038") != 0) return 0;
    if (json_parse(answer->data, answer->len, &object) != JSON_OBJECT || !json_member(object, "param", &param) ||
        !json_member(param, "deskUrl", &value))
        return 0;
    return json_string_value(value, url) && url->len > 0;
}

/*
 * The desk is open; the same pindata is sent again (a fresh envelope each time)
 * until the platform's stored answer is final. Past the bound the first answer
 * is kept — 040038 with traceNo — and close_abandoned closes the order
 * (Node: desk.ts waitAtDesk).
 */
static void wait_at_desk(const client_settings *s, const client_options *o, const suite_keys *keys, const char *plain,
                         size_t len, strbuf *answer) {
    unsigned long long deadline = host_ticks_ms() + o->desk_timeout_ms;
    unsigned gap = FIRST_REPLAY_MS;
    for (;;) {
        unsigned long long now = host_ticks_ms();
        char code[RESP_CODE_SIZE];
        strbuf next;
        if (now >= deadline) return;
        host_sleep_ms(deadline - now < gap ? (unsigned)(deadline - now) : gap);
        if (host_ticks_ms() >= deadline) return;
        sb_init(&next);
        send_once(s, o, keys, plain, len, &next);
        client_answer_code(next.data != NULL ? next.data : "", next.len, code);
        if (code[0] == '-') {
            /* The platform was not reached or did not answer: keep waiting, more slowly. */
            gap = gap * 2 > MAX_REPLAY_MS ? MAX_REPLAY_MS : gap * 2;
            sb_free(&next);
            continue;
        }
        gap = FIRST_REPLAY_MS;
        if (strcmp(code, "040038") != 0) {
            sb_free(answer);
            *answer = next;
            return;
        }
        sb_free(&next);
    }
}

/* What recharge.close is told when the client closes an order nobody waits for any more. */
#define ABANDONED_REASON "收银台等待超时, 调用方未等到结果"
static const char *const CLOSE_FIELDS[] = {"operatorId", "termNo",      "operatorName", "cardType",
                                           "cardNo",     "accountType", "outChargeNo"};

/* hop.trade.recharge, also spelled with spaces as in the spec's example (Node: validate.ts). */
static int is_recharge(span request) {
    static const char name[] = "hop.trade.recharge";
    span type;
    strbuf value;
    size_t i, j;
    int yes;
    if (!json_member(request, "transType", &type)) return 0;
    sb_init(&value);
    if (!json_string_value(type, &value) || value.data == NULL) {
        sb_free(&value);
        return 0;
    }
    for (i = j = 0; i < value.len; i++)
        if (value.data[i] != ' ') value.data[j++] = value.data[i];
    yes = j == sizeof name - 1 && memcmp(value.data, name, j) == 0;
    sb_free(&value);
    return yes;
}

static int code_is(const char *code, const char *a, const char *b, const char *c) {
    return strcmp(code, a) == 0 || strcmp(code, b) == 0 || strcmp(code, c) == 0;
}

/*
 * The desk wait is over and the recharge is still open: the client closes it,
 * what the spec's recharge.close is for (用户仍未支付, 调用方将订单关闭), so the
 * HIS is told the order's fate — closed (035001), or paid in the meantime —
 * rather than "query later". When the close cannot settle it, 040038 stays
 * (Node: PayClient.closeAbandoned).
 */
static void close_abandoned(const client_settings *s, const client_options *o, const suite_keys *keys, span request,
                            const char *plain, size_t len, strbuf *answer) {
    span param, value;
    strbuf close, reply;
    char code[RESP_CODE_SIZE];
    size_t i;
    client_answer_code(answer->data != NULL ? answer->data : "", answer->len, code);
    if (strcmp(code, "040038") != 0 || !is_recharge(request) || !json_member(request, "param", &param) ||
        json_type_of(param) != JSON_OBJECT)
        return;
    sb_init(&close);
    sb_puts(&close, "{\"transType\":\"hop.trade.recharge.close\",\"param\":{");
    for (i = 0; i < sizeof CLOSE_FIELDS / sizeof CLOSE_FIELDS[0]; i++) {
        if (!json_member(param, CLOSE_FIELDS[i], &value)) continue;
        sb_json_string(&close, CLOSE_FIELDS[i], strlen(CLOSE_FIELDS[i]));
        sb_puts(&close, ":");
        json_minify(value, &close);
        sb_puts(&close, ",");
    }
    sb_puts(&close, "\"closeReason\":");
    sb_json_string(&close, ABANDONED_REASON, strlen(ABANDONED_REASON));
    sb_puts(&close, "}}");
    if (close.failed || close.data == NULL) {
        sb_free(&close);
        return;
    }
    sb_init(&reply);
    send_once(s, o, keys, close.data, close.len, &reply);
    sb_free(&close);
    client_answer_code(reply.data != NULL ? reply.data : "", reply.len, code);
    sb_free(&reply);
    /* Closed now, closed before, or paid before the close: the order is final; its own answer says which. */
    if (!code_is(code, "000000", "033001", "035001")) return;
    sb_init(&reply);
    send_once(s, o, keys, plain, len, &reply);
    client_answer_code(reply.data != NULL ? reply.data : "", reply.len, code);
    if (reply.failed || reply.data == NULL || code[0] == '-' || strcmp(code, "040038") == 0) {
        sb_free(&reply);
        return;
    }
    sb_free(answer);
    *answer = reply;
}

void client_pay_trans(const char *pindata, size_t len, strbuf *answer) {
    span request, type;
    strbuf trans_type, plain, error, url;
    client_settings settings;
    client_options options;
    suite_keys keys;
    int loaded;

    sb_free(answer);
    if (pindata == NULL || is_blank(pindata, len) || (len >= 4 && json_parse(pindata, len, &request) == JSON_NULL)) {
        client_local_answer(answer, "000003", "请求报文为空", NULL);
        return;
    }
    if (len > CLIENT_MAX_PINDATA_BYTES || !utf8_valid(pindata, len) || json_parse(pindata, len, &request) != JSON_OBJECT) {
        client_local_answer(answer, "000004", "请求格式非法", "pindata 须为 JSON 对象");
        return;
    }
    sb_init(&trans_type);
    if (json_member(request, "transType", &type) && json_string_value(type, &trans_type) && trans_type.data != NULL &&
        strcmp(trans_type.data, "hop.trade.setinfo") == 0) {
        sb_free(&trans_type);
        setinfo(request, answer);
        return;
    }
    sb_free(&trans_type);

    sb_init(&error);
    loaded = host_load_settings(&settings, &error);
    if (loaded <= 0) {
        if (loaded == 0) client_local_answer(answer, "010003", "应用编号为空", "尚未设置服务参数, 请先调用 hop.trade.setinfo");
        else client_local_answer(answer, "-7", "客户端配置错误", error.data);
        sb_free(&error);
        return;
    }
    sb_free(&error);
    /* The platform validates every field; only what the envelope itself limits is checked here. */
    sb_init(&plain);
    json_minify(request, &plain);
    if (plain.failed || utf8_utf16_length(plain.data, plain.len) > MAX_REQUEST_CHARS) {
        client_local_answer(answer, "020002", "参数超过限定长度", "pindata 超过 2048 字符, 未发送");
        sb_free(&plain);
        return;
    }
    if (!derive_keys(settings.suite, settings.appsecret, strlen(settings.appsecret), &keys)) {
        client_local_answer(answer, "-7", TEXT_NOT_SENT, "密钥派生失败");
        sb_free(&plain);
        return;
    }
    host_options(&options);
    send_once(&settings, &options, &keys, plain.data, plain.len, answer);
    sb_init(&url);
    if (desk_url_of(answer, &url)) {
        host_show_desk(url.data, options.desk);
        wait_at_desk(&settings, &options, &keys, plain.data, plain.len, answer);
        close_abandoned(&settings, &options, &keys, request, plain.data, plain.len, answer);
    }
    sb_free(&url);
    sb_free(&plain);
    memset(&keys, 0, sizeof keys);
    memset(&settings, 0, sizeof settings);
    if (answer->failed || answer->data == NULL) client_local_answer(answer, "-3", TEXT_BROKEN, "内存不足");
}
