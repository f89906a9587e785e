/*
 * Calls payclient.dll the way a HIS does, knowing only the vendor's declaration:
 * LoadLibrary, GetProcAddress("payTrans"), a 2048-byte poutdata. Canary bytes
 * after the buffer show whether the DLL ever wrote past it.
 *
 *   payclient_test.exe --version
 *   payclient_test.exe <dll> (call <in-file> <out-file> | ex <in-file> <out-file> <size> | export <name>
 *                             | fuzz <seed> <count> | acl <path> | parallel <threads> <in-file>)...
 *
 * fuzz: seeded random pindata (JSON pieces, GBK and invalid GBK bytes) into payTrans
 * and into payTransEx with small buffers; reports how many calls ran and how many
 * wrote past the buffer or left it unterminated (both must be 0).
 * parallel: that many threads call payTrans with the same pindata at once; reports the respCodes
 * returned and whether each thread's return value matched its own poutdata.
 * acl: who may open a file (the settings setinfo wrote): whether its DACL is protected from
 * inheritance, how many entries it has, and whether each one names the current user alone.
 *
 * pindata is read from a file and poutdata written to one, byte for byte, so
 * GBK reaches the DLL untouched by any console code page. One line of JSON per
 * step on stdout; exit status 0 when every step could run.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef char *(__stdcall *PayTrans)(char *pindata, char *poutdata);
typedef int(__stdcall *PayTransEx)(const char *pindata, char *poutdata, int outSize);

#define POUTDATA_SIZE 2048
#define CANARY_SIZE 256
#define CANARY 0xA5

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    long size;
    char *data;
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = (char *)malloc((size_t)size + 1);
    if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        free(data);
        return NULL;
    }
    data[size] = 0;
    fclose(f);
    return data;
}

static int write_file(const char *path, const char *data) {
    FILE *f = fopen(path, "wb");
    size_t n = strlen(data);
    if (f == NULL) return 0;
    if (fwrite(data, 1, n, f) != n) {
        fclose(f);
        return 0;
    }
    return fclose(f) == 0;
}

static int canary_intact(const unsigned char *after) {
    int i;
    for (i = 0; i < CANARY_SIZE; i++)
        if (after[i] != CANARY) return 0;
    return 1;
}

/* A returned respCode goes into JSON: only what a respCode may hold, else it is reported as invalid. */
static const char *printable(const char *code) {
    size_t i;
    if (code == NULL) return "(null)";
    for (i = 0; code[i] != 0; i++)
        if (i >= 32 || !((code[i] >= '0' && code[i] <= '9') || (code[i] >= 'A' && code[i] <= 'Z') ||
                         (code[i] >= 'a' && code[i] <= 'z') || code[i] == '-'))
            return "(invalid)";
    return code;
}

static unsigned long long fuzz_state;
static unsigned fuzz_next(void) {
    fuzz_state = fuzz_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)(fuzz_state >> 33);
}

static void fuzz(HMODULE dll, int step, unsigned long long seed, int count) {
    static const char *const pieces[] = {
        "{\"transType\":\"hop.account.info\",\"param\":{", "\"operatorName\":\"", "\xd5\xc5\xc8\xfd", /* 张三 */
        "\xff\xfe", "\x81", "\x80", "\"", "\\", "\\u", "\\ud800", "}", "]", "[", ",", ":", "null", "1e999",
        "{\"transType\":\"hop.trade.setinfo\",\"param\":{\"serveraddr\":\"ftp://x\"}}", " ", "\t",
    };
    PayTrans payTrans = (PayTrans)(void *)GetProcAddress(dll, "payTrans");
    PayTransEx payTransEx = (PayTransEx)(void *)GetProcAddress(dll, "payTransEx");
    unsigned char *buffer = (unsigned char *)malloc(POUTDATA_SIZE + CANARY_SIZE);
    char pindata[4096];
    int i, overruns = 0, unterminated = 0, calls = 0;
    fuzz_state = seed;
    if (payTrans == NULL || payTransEx == NULL || buffer == NULL) return;
    for (i = 0; i < count; i++) {
        size_t len = 0;
        int parts = 1 + (int)(fuzz_next() % 12), k;
        int size = 1 + (int)(fuzz_next() % 200);
        for (k = 0; k < parts; k++) {
            const char *piece = pieces[fuzz_next() % (sizeof pieces / sizeof pieces[0])];
            size_t n = strlen(piece);
            if (len + n + 1 >= sizeof pindata) break;
            memcpy(pindata + len, piece, n);
            len += n;
        }
        if (fuzz_next() % 3 == 0 && len > 0) pindata[fuzz_next() % len] = (char)(1 + fuzz_next() % 255);
        pindata[len] = 0;
        memset(buffer, CANARY, POUTDATA_SIZE + CANARY_SIZE);
        payTrans(pindata, (char *)buffer);
        calls++;
        if (!canary_intact(buffer + POUTDATA_SIZE)) overruns++;
        if (memchr(buffer, 0, POUTDATA_SIZE) == NULL) unterminated++;
        memset(buffer, CANARY, POUTDATA_SIZE + CANARY_SIZE);
        payTransEx(pindata, (char *)buffer, size);
        calls++;
        if (!canary_intact(buffer + size)) overruns++;
        if (memchr(buffer, 0, (size_t)size) == NULL) unterminated++;
    }
    printf("{\"step\":%d,\"fn\":\"fuzz\",\"calls\":%d,\"overruns\":%d,\"unterminated\":%d}\n", step, calls, overruns,
           unterminated);
    free(buffer);
}

#define MAX_THREADS 16

typedef struct {
    PayTrans payTrans;
    char *pindata;
    char code[40];
    int consistent; /* the returned respCode is the one in this thread's poutdata, canary intact */
} worker;

static DWORD WINAPI work(LPVOID arg) {
    worker *w = (worker *)arg;
    unsigned char *buffer = (unsigned char *)malloc(POUTDATA_SIZE + CANARY_SIZE);
    char needle[64];
    const char *code;
    if (buffer == NULL) return 1;
    memset(buffer, CANARY, POUTDATA_SIZE + CANARY_SIZE);
    code = w->payTrans(w->pindata, (char *)buffer);
    lstrcpynA(w->code, printable(code), sizeof w->code);
    buffer[POUTDATA_SIZE - 1] = 0;
    _snprintf(needle, sizeof needle - 1, "\"respCode\":\"%s\"", w->code);
    needle[sizeof needle - 1] = 0;
    w->consistent = strstr((char *)buffer, needle) != NULL && canary_intact(buffer + POUTDATA_SIZE);
    free(buffer);
    return 0;
}

static void parallel(HMODULE dll, int step, int threads, const char *path) {
    worker workers[MAX_THREADS];
    HANDLE handles[MAX_THREADS];
    char *pindata = read_file(path);
    int i, consistent = 0;
    if (threads < 1 || threads > MAX_THREADS || pindata == NULL) return;
    for (i = 0; i < threads; i++) {
        workers[i].payTrans = (PayTrans)(void *)GetProcAddress(dll, "payTrans");
        workers[i].pindata = pindata;
        workers[i].code[0] = 0;
        workers[i].consistent = 0;
        handles[i] = CreateThread(NULL, 0, work, &workers[i], 0, NULL);
    }
    WaitForMultipleObjects((DWORD)threads, handles, TRUE, INFINITE);
    printf("{\"step\":%d,\"fn\":\"parallel\",\"codes\":[", step);
    for (i = 0; i < threads; i++) {
        CloseHandle(handles[i]);
        consistent += workers[i].consistent;
        printf("%s\"%s\"", i == 0 ? "" : ",", workers[i].code);
    }
    printf("],\"consistent\":%d}\n", consistent);
    free(pindata);
}

static void acl(int step, const char *path) {
    BYTE sd[4096], user[512];
    DWORD size = 0, i;
    HANDLE token;
    SECURITY_DESCRIPTOR_CONTROL control = 0;
    DWORD revision = 0;
    BOOL present = FALSE, defaulted = FALSE;
    PACL dacl = NULL;
    int only_user = 1;
    if (!GetFileSecurityA(path, DACL_SECURITY_INFORMATION, (PSECURITY_DESCRIPTOR)sd, sizeof sd, &size) ||
        !GetSecurityDescriptorControl((PSECURITY_DESCRIPTOR)sd, &control, &revision) ||
        !GetSecurityDescriptorDacl((PSECURITY_DESCRIPTOR)sd, &present, &dacl, &defaulted) ||
        !OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token) ||
        !GetTokenInformation(token, TokenUser, user, sizeof user, &size)) {
        printf("{\"step\":%d,\"fn\":\"acl\",\"error\":%lu}\n", step, (unsigned long)GetLastError());
        return;
    }
    CloseHandle(token);
    if (!present || dacl == NULL) only_user = 0;
    for (i = 0; dacl != NULL && i < dacl->AceCount; i++) {
        ACCESS_ALLOWED_ACE *ace = NULL;
        if (!GetAce(dacl, i, (LPVOID *)&ace) || ace->Header.AceType != ACCESS_ALLOWED_ACE_TYPE ||
            !EqualSid((PSID)&ace->SidStart, ((TOKEN_USER *)user)->User.Sid))
            only_user = 0;
    }
    printf("{\"step\":%d,\"fn\":\"acl\",\"protected\":%s,\"aces\":%d,\"onlyUser\":%s}\n", step,
           (control & SE_DACL_PROTECTED) ? "true" : "false", dacl != NULL ? (int)dacl->AceCount : -1,
           only_user ? "true" : "false");
}

int main(int argc, char **argv) {
    HMODULE dll;
    int i, step = 0;
    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("{\"bits\":%d}\n", (int)(sizeof(void *) * 8));
        return 0;
    }
    if (argc < 3) {
        fprintf(stderr, "usage: payclient_test <dll> (call <in> <out> | ex <in> <out> <size> | export <name>)...\n");
        return 2;
    }
    dll = LoadLibraryA(argv[1]);
    if (dll == NULL) {
        printf("{\"error\":\"LoadLibrary\",\"code\":%lu}\n", (unsigned long)GetLastError());
        return 1;
    }
    for (i = 2; i < argc; step++) {
        const char *kind = argv[i];
        if (strcmp(kind, "parallel") == 0 && i + 2 < argc) {
            parallel(dll, step, atoi(argv[i + 1]), argv[i + 2]);
            i += 3;
        } else if (strcmp(kind, "acl") == 0 && i + 1 < argc) {
            acl(step, argv[i + 1]);
            i += 2;
        } else if (strcmp(kind, "fuzz") == 0 && i + 2 < argc) {
            fuzz(dll, step, strtoull(argv[i + 1], NULL, 10), atoi(argv[i + 2]));
            i += 3;
        } else if (strcmp(kind, "export") == 0 && i + 1 < argc) {
            printf("{\"step\":%d,\"export\":\"%s\",\"found\":%s}\n", step, argv[i + 1],
                   GetProcAddress(dll, argv[i + 1]) != NULL ? "true" : "false");
            i += 2;
        } else if (strcmp(kind, "call") == 0 && i + 2 < argc) {
            PayTrans payTrans = (PayTrans)(void *)GetProcAddress(dll, "payTrans");
            unsigned char *buffer = (unsigned char *)malloc(POUTDATA_SIZE + CANARY_SIZE);
            char *pindata = read_file(argv[i + 1]);
            DWORD started;
            char *code;
            if (payTrans == NULL || buffer == NULL || pindata == NULL) return 1;
            memset(buffer, CANARY, POUTDATA_SIZE + CANARY_SIZE);
            started = GetTickCount();
            code = payTrans(pindata, (char *)buffer);
            printf("{\"step\":%d,\"fn\":\"payTrans\",\"ret\":\"%s\",\"ms\":%lu,\"terminated\":%s,\"canary\":%s}\n",
                   step, printable(code), (unsigned long)(GetTickCount() - started),
                   memchr(buffer, 0, POUTDATA_SIZE) != NULL ? "true" : "false",
                   canary_intact(buffer + POUTDATA_SIZE) ? "true" : "false");
            buffer[POUTDATA_SIZE - 1] = 0;
            if (!write_file(argv[i + 2], (char *)buffer)) return 1;
            free(buffer);
            free(pindata);
            i += 3;
        } else if (strcmp(kind, "ex") == 0 && i + 3 < argc) {
            PayTransEx payTransEx = (PayTransEx)(void *)GetProcAddress(dll, "payTransEx");
            int size = atoi(argv[i + 3]);
            unsigned char *buffer = (unsigned char *)malloc((size_t)size + CANARY_SIZE);
            char *pindata = read_file(argv[i + 1]);
            DWORD started;
            int ret;
            if (payTransEx == NULL || buffer == NULL || pindata == NULL || size < 1) return 1;
            memset(buffer, CANARY, (size_t)size + CANARY_SIZE);
            started = GetTickCount();
            ret = payTransEx(pindata, (char *)buffer, size);
            printf("{\"step\":%d,\"fn\":\"payTransEx\",\"ret\":%d,\"ms\":%lu,\"terminated\":%s,\"canary\":%s}\n", step,
                   ret, (unsigned long)(GetTickCount() - started),
                   memchr(buffer, 0, (size_t)size) != NULL ? "true" : "false",
                   canary_intact(buffer + size) ? "true" : "false");
            buffer[size - 1] = 0;
            if (!write_file(argv[i + 2], (char *)buffer)) return 1;
            free(buffer);
            free(pindata);
            i += 4;
        } else {
            fprintf(stderr, "bad step at %s\n", kind);
            return 2;
        }
        fflush(stdout);
    }
    FreeLibrary(dll);
    return 0;
}
