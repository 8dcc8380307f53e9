/*
 * bcryptprimitives.dll for the Wine test run only (scripts/check-windows.sh puts it in the
 * throwaway Wine prefix; nothing ships it).
 *
 * Rust's standard library on Windows gets its random bytes from ProcessPrng in
 * bcryptprimitives.dll, which every Windows since Windows 8 has. Wine 8.0, Debian 12's, has no
 * such DLL yet, so no Rust program built for Windows starts under it. This one has the single
 * function, answered by Wine's own BCryptGenRandom (the system's random number generator, as
 * on Windows).
 */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
