/* payTrans in UTF-8: pindata JSON in, poutdata JSON out, always an answer with a respCode. */
#ifndef ONEPAY_CLIENT_H
#define ONEPAY_CLIENT_H
#include <stddef.h>

#include "text.h"

#define RESP_CODE_SIZE 33 /* Char(32) in the spec, plus the NUL */
/* Far above any valid request (2048 characters), low enough to bound the work on garbage. */
#define CLIENT_MAX_PINDATA_BYTES (256 * 1024)

void client_pay_trans(const char *pindata, size_t len, strbuf *answer);
/* A local answer: {"respCode":code,"respMsg":"text[: detail]"}. */
void client_local_answer(strbuf *answer, const char *code, const char *text, const char *detail);
/* The respCode of an answer (letters, digits, '-', at most 32), or "-3" when it has none. */
void client_answer_code(const char *answer, size_t len, char code[RESP_CODE_SIZE]);
/* The clock offset learnt from the platform (seconds added to the local clock). */
long client_clock_offset(void);

#endif
