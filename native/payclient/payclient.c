/*
 * payclient.dll: the vendor's export, speaking to the platform itself.
 *
 * The HIS's bytes (GBK or UTF-8, as payclient.ini says) become UTF-8 for
 * client.c, which seals, sends and verifies as the Node client does; its
 * answer goes back into the caller's buffer in the caller's encoding, never
 * past the buffer's end.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "payclient.h"

#define GBK 936

HMODULE payclient_module;
int host_gbk(void); /* host_win.c: payclient.ini's encoding */

static DWORD code_slot = TLS_OUT_OF_INDEXES;
/* Only used when Windows has no TLS slot left: shared, but still never unterminated. */
static char shared_code[RESP_CODE_SIZE];

/* The returned respCode must outlive the call, and two HIS threads must not share it. */
static char *thread_code_buffer(void) {
    char *buffer;
    if (code_slot == TLS_OUT_OF_INDEXES) return shared_code;
    buffer = (char *)TlsGetValue(code_slot);
    if (buffer == NULL) {
        buffer = (char *)HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, RESP_CODE_SIZE);
        if (buffer == NULL || !TlsSetValue(code_slot, buffer)) return shared_code;
    }
    return buffer;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
    (void)reserved;
    switch (reason) {
    case DLL_PROCESS_ATTACH:
        payclient_module = instance;
        code_slot = TlsAlloc();
        break;
    case DLL_THREAD_DETACH:
        if (code_slot != TLS_OUT_OF_INDEXES) {
            void *buffer = TlsGetValue(code_slot);
            if (buffer != NULL) HeapFree(GetProcessHeap(), 0, buffer);
        }
        break;
    case DLL_PROCESS_DETACH:
        if (code_slot != TLS_OUT_OF_INDEXES) TlsFree(code_slot);
        break;
    }
    return TRUE;
}

/* Text from one code page to another through UTF-16. `strict`: refuse bytes that are not text in
 * `from` (a garbled name must not reach the platform as something else); otherwise Windows puts
 * '?' for a character `to` lacks, as the bridge does. */
static int convert(UINT from, UINT to, const char *in, size_t len, strbuf *out, int strict) {
    int wide_len, n;
    WCHAR *wide;
    char *bytes;
    if (len == 0) {
        sb_append(out, "", 0);
        return 1;
    }
    wide_len = MultiByteToWideChar(from, strict ? MB_ERR_INVALID_CHARS : 0, in, (int)len, NULL, 0);
    if (wide_len <= 0) return 0;
    wide = (WCHAR *)HeapAlloc(GetProcessHeap(), 0, (size_t)wide_len * sizeof(WCHAR));
    if (wide == NULL) return 0;
    MultiByteToWideChar(from, strict ? MB_ERR_INVALID_CHARS : 0, in, (int)len, wide, wide_len);
    n = WideCharToMultiByte(to, 0, wide, wide_len, NULL, 0, NULL, NULL);
    bytes = n > 0 ? (char *)HeapAlloc(GetProcessHeap(), 0, (size_t)n) : NULL;
    if (bytes != NULL) {
        WideCharToMultiByte(to, 0, wide, wide_len, bytes, n, NULL, NULL);
        sb_append(out, bytes, (size_t)n);
        SecureZeroMemory(bytes, (size_t)n);
        HeapFree(GetProcessHeap(), 0, bytes);
    }
    SecureZeroMemory(wide, (size_t)wide_len * sizeof(WCHAR));
    HeapFree(GetProcessHeap(), 0, wide);
    return bytes != NULL && !out->failed;
}

/* The whole answer in the HIS's encoding, and its respCode. */
static void call(const char *pindata, strbuf *out, char code[RESP_CODE_SIZE]) {
    int gbk = host_gbk();
    size_t len = 0;
    strbuf utf8, answer;
    sb_init(&utf8);
    sb_init(&answer);
    if (pindata != NULL)
        while (len <= CLIENT_MAX_PINDATA_BYTES && pindata[len] != 0) len++;
    if (len > CLIENT_MAX_PINDATA_BYTES) {
        client_local_answer(&answer, "000004", "请求格式非法", "pindata 过长");
    } else if (gbk && !convert(GBK, CP_UTF8, pindata, len, &utf8, 1)) {
        client_local_answer(&answer, "000004", "请求格式非法", "pindata 不是有效的 GBK 文本");
    } else {
        client_pay_trans(gbk ? (utf8.data != NULL ? utf8.data : "") : pindata, gbk ? utf8.len : len, &answer);
    }
    sb_free(&utf8);
    client_answer_code(answer.data, answer.len, code);
    sb_init(out);
    if (!gbk) sb_append(out, answer.data, answer.len);
    else if (!convert(CP_UTF8, GBK, answer.data, answer.len, out, 0)) {
        sb_free(out);
        sb_puts(out, "{\"respCode\":\"");
        sb_puts(out, code);
        sb_puts(out, "\",\"respMsg\":\"\"}");
    }
    sb_free(&answer);
}

static const char *too_long_text(int gbk) {
    /* 应答超过 poutdata 缓冲区, 完整应答请改用 payTransEx */
    return gbk ? "\xd3\xa6\xb4\xf0\xb3\xac\xb9\xfd poutdata \xbb\xba\xb3\xe5\xc7\xf8, \xcd\xea\xd5\xfb\xd3\xa6\xb4\xf0\xc7\xeb"
                 "\xb8\xc4\xd3\xc3 payTransEx"
               : "应答超过 poutdata 缓冲区, 完整应答请改用 payTransEx";
}

/*
 * What the caller gets when the answer does not fit: the answer's own respCode,
 * so a recharge that succeeded is never reported as failed (the HIS would
 * charge again), a message naming payTransEx, and the size it would need.
 */
static int overflow_answer(const char *code, size_t need, char *poutdata, size_t size) {
    char text[512];
    int n = snprintf(text, sizeof text, "{\"respCode\":\"%s\",\"respMsg\":\"%s\",\"needSize\":\"%lu\"}", code,
                      too_long_text(host_gbk()), (unsigned long)need);
    text[sizeof text - 1] = 0;
    if (n < 0 || (size_t)n >= size) return 0;
    memcpy(poutdata, text, (size_t)n + 1);
    return 1;
}

char *__stdcall payTrans(char *pindata, char *poutdata) {
    char *code = thread_code_buffer();
    char answer_code[RESP_CODE_SIZE];
    strbuf out;
    if (poutdata == NULL) {
        /* Nowhere to put the answer: sending would move money the HIS could not learn about. */
        lstrcpynA(code, "-7", RESP_CODE_SIZE);
        return code;
    }
    call(pindata, &out, answer_code);
    if (out.data != NULL && out.len < PAYCLIENT_POUTDATA_SIZE) memcpy(poutdata, out.data, out.len + 1);
    else if (!overflow_answer(answer_code, out.len + 1, poutdata, PAYCLIENT_POUTDATA_SIZE)) poutdata[0] = 0;
    lstrcpynA(code, answer_code, RESP_CODE_SIZE);
    sb_free(&out);
    return code;
}

int __stdcall payTransEx(const char *pindata, char *poutdata, int outSize) {
    char answer_code[RESP_CODE_SIZE];
    strbuf out;
    int needed = 0;
    if (poutdata == NULL || outSize < 1) return -1;
    call(pindata, &out, answer_code);
    if (out.data != NULL && out.len < (size_t)outSize) {
        memcpy(poutdata, out.data, out.len + 1);
    } else {
        if (!overflow_answer(answer_code, out.len + 1, poutdata, (size_t)outSize)) poutdata[0] = 0;
        needed = (int)(out.len + 1);
    }
    sb_free(&out);
    return needed;
}
