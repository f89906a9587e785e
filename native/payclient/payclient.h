/*
 * payclient.dll, onepay's drop-in for the vendor's DLL of the same name.
 *
 * payTrans is declared exactly as the vendor's interface document declares it,
 * so a HIS built against the vendor's DLL calls this one unchanged.
 * payTransEx is ours: the answers of hop.face.query carry photographs and do
 * not fit the 2048 bytes payTrans may write.
 */
#ifndef ONEPAY_PAYCLIENT_H
#define ONEPAY_PAYCLIENT_H

#ifdef __cplusplus
extern "C" {
#endif

/* Size of poutdata in the vendor's document: at most 2047 bytes of JSON plus the NUL. */
#define PAYCLIENT_POUTDATA_SIZE 2048

/*
 * pindata: the request JSON, NUL-terminated, in the encoding payclient.ini names (gbk by default).
 * poutdata: the caller's buffer of PAYCLIENT_POUTDATA_SIZE bytes; it receives the answer JSON,
 *   NUL-terminated. An answer that does not fit is replaced by
 *   {"respCode":"<the answer's respCode>","respMsg":"...payTransEx...","needSize":"<bytes>"}.
 * Returns the answer's respCode (e.g. "000000"), NUL-terminated, in a buffer of the calling
 *   thread that stays valid until that thread calls payTrans again or the DLL is unloaded.
 */
char *__stdcall payTrans(char *pindata, char *poutdata);

/*
 * Like payTrans with a buffer of outSize bytes.
 * Returns 0 when the whole answer is in poutdata; the size it needs (bytes including the NUL,
 *   always > outSize) when it does not fit, poutdata then holding the payTrans replacement answer
 *   if that fits, else ""; -1 when poutdata is NULL or outSize < 1, and then nothing is sent.
 * Calling again with a bigger buffer sends the request again: harmless for queries, and for
 *   money the platform answers a repeated order number with the stored answer.
 */
int __stdcall payTransEx(const char *pindata, char *poutdata, int outSize);

#ifdef __cplusplus
}
#endif

#endif
