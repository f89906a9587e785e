/* SM3 as GB/T 32905-2016 defines it. Only additions, rotations and boolean
 * functions of the words: its running time does not depend on the data. */
#include "sm3.h"

#include <string.h>

#define ROTL(x, n) (((x) << ((n) & 31)) | ((x) >> ((32 - ((n) & 31)) & 31)))
#define P0(x) ((x) ^ ROTL((x), 9) ^ ROTL((x), 17))
#define P1(x) ((x) ^ ROTL((x), 15) ^ ROTL((x), 23))

static uint32_t load_be(const uint8_t *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static void store_be(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

void sm3_init(sm3_ctx *ctx) {
    static const uint32_t iv[8] = {0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
                                   0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e};
    memcpy(ctx->state, iv, sizeof iv);
    ctx->length = 0;
    ctx->used = 0;
}

static void compress(uint32_t v[8], const uint8_t block[SM3_BLOCK_SIZE]) {
    uint32_t w[68], a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
    int j;
    for (j = 0; j < 16; j++) w[j] = load_be(block + 4 * j);
    for (j = 16; j < 68; j++)
        w[j] = P1(w[j - 16] ^ w[j - 9] ^ ROTL(w[j - 3], 15)) ^ ROTL(w[j - 13], 7) ^ w[j - 6];
    for (j = 0; j < 64; j++) {
        uint32_t t = j < 16 ? 0x79cc4519u : 0x7a879d8au;
        uint32_t a12 = ROTL(a, 12);
        uint32_t ss1 = ROTL(a12 + e + ROTL(t, (uint32_t)j), 7);
        uint32_t ss2 = ss1 ^ a12;
        uint32_t ff = j < 16 ? (a ^ b ^ c) : ((a & b) | (a & c) | (b & c));
        uint32_t gg = j < 16 ? (e ^ f ^ g) : ((e & f) | (~e & g));
        uint32_t tt1 = ff + d + ss2 + (w[j] ^ w[j + 4]);
        uint32_t tt2 = gg + h + ss1 + w[j];
        d = c;
        c = ROTL(b, 9);
        b = a;
        a = tt1;
        h = g;
        g = ROTL(f, 19);
        f = e;
        e = P0(tt2);
    }
    v[0] ^= a;
    v[1] ^= b;
    v[2] ^= c;
    v[3] ^= d;
    v[4] ^= e;
    v[5] ^= f;
    v[6] ^= g;
    v[7] ^= h;
}

void sm3_update(sm3_ctx *ctx, const void *data, size_t len) {
    const uint8_t *p = (const uint8_t *)data;
    ctx->length += len;
    while (len > 0) {
        size_t take = SM3_BLOCK_SIZE - ctx->used;
        if (take > len) take = len;
        memcpy(ctx->block + ctx->used, p, take);
        ctx->used += take;
        p += take;
        len -= take;
        if (ctx->used == SM3_BLOCK_SIZE) {
            compress(ctx->state, ctx->block);
            ctx->used = 0;
        }
    }
}

void sm3_final(sm3_ctx *ctx, uint8_t out[SM3_DIGEST_SIZE]) {
    uint64_t bits = ctx->length * 8;
    int i;
    ctx->block[ctx->used++] = 0x80;
    if (ctx->used > SM3_BLOCK_SIZE - 8) {
        memset(ctx->block + ctx->used, 0, SM3_BLOCK_SIZE - ctx->used);
        compress(ctx->state, ctx->block);
        ctx->used = 0;
    }
    memset(ctx->block + ctx->used, 0, SM3_BLOCK_SIZE - 8 - ctx->used);
    store_be(ctx->block + 56, (uint32_t)(bits >> 32));
    store_be(ctx->block + 60, (uint32_t)bits);
    compress(ctx->state, ctx->block);
    for (i = 0; i < 8; i++) store_be(out + 4 * i, ctx->state[i]);
    memset(ctx, 0, sizeof *ctx);
}

void hmac_sm3_init(hmac_sm3_ctx *ctx, const uint8_t *key, size_t key_len) {
    uint8_t pad[SM3_BLOCK_SIZE];
    uint8_t hashed[SM3_DIGEST_SIZE];
    size_t i;
    if (key_len > SM3_BLOCK_SIZE) {
        sm3_init(&ctx->inner);
        sm3_update(&ctx->inner, key, key_len);
        sm3_final(&ctx->inner, hashed);
        key = hashed;
        key_len = SM3_DIGEST_SIZE;
    }
    memset(pad, 0, sizeof pad);
    memcpy(pad, key, key_len);
    for (i = 0; i < SM3_BLOCK_SIZE; i++) pad[i] ^= 0x36;
    sm3_init(&ctx->inner);
    sm3_update(&ctx->inner, pad, SM3_BLOCK_SIZE);
    for (i = 0; i < SM3_BLOCK_SIZE; i++) pad[i] ^= 0x36 ^ 0x5c;
    sm3_init(&ctx->outer);
    sm3_update(&ctx->outer, pad, SM3_BLOCK_SIZE);
    memset(pad, 0, sizeof pad);
    memset(hashed, 0, sizeof hashed);
}

void hmac_sm3_update(hmac_sm3_ctx *ctx, const void *data, size_t len) {
    sm3_update(&ctx->inner, data, len);
}

void hmac_sm3_final(hmac_sm3_ctx *ctx, uint8_t out[SM3_DIGEST_SIZE]) {
    uint8_t inner[SM3_DIGEST_SIZE];
    sm3_final(&ctx->inner, inner);
    sm3_update(&ctx->outer, inner, sizeof inner);
    sm3_final(&ctx->outer, out);
    memset(inner, 0, sizeof inner);
}
