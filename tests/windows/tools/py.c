/* A stand-in for the Python launcher for Windows (py.exe).
 *
 * `py -3.11 ARGS` runs the Python 3.11 listed in py.lane.txt beside the .exe
 * (lines "3.11=C:\Python311\python.exe") with ARGS exactly as they were
 * quoted on this command line, and exits with its exit code. A version that
 * is not listed gets the real launcher's answer: "No suitable Python runtime
 * found" on stderr, exit code 103.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <windows.h>

/* The command line after its first `count` arguments, quoting kept. */
static const wchar_t *after_arguments(const wchar_t *line, int count)
{
    while (count-- > 0) {
        int quoted = 0;
        while (*line == L' ' || *line == L'\t')
            line++;
        while (*line && (quoted || (*line != L' ' && *line != L'\t'))) {
            if (*line == L'"')
                quoted = !quoted;
            line++;
        }
    }
    while (*line == L' ' || *line == L'\t')
        line++;
    return line;
}

int wmain(int argc, wchar_t **argv)
{
    wchar_t config[MAX_PATH + 16], entry[1024], python[MAX_PATH];
    wchar_t *command;
    const wchar_t *wanted, *rest;
    DWORD length = GetModuleFileNameW(NULL, config, MAX_PATH), code = 1;
    FILE *file;
    STARTUPINFOW startup;
    PROCESS_INFORMATION process;
    size_t size;

    if (argc < 2 || argv[1][0] != L'-' || length == 0 || length >= MAX_PATH) {
        fwprintf(stderr, L"py (test stand-in): usage: py -3.X ARGS\n");
        return 2;
    }
    wanted = argv[1] + 1;
    wcscpy(config + length - 4, L".lane.txt");
    python[0] = L'\0';
    file = _wfopen(config, L"r, ccs=UTF-8");
    while (file && fgetws(entry, 1024, file)) {
        size_t n = wcslen(wanted);
        entry[wcscspn(entry, L"\r\n")] = L'\0';
        if (wcsncmp(entry, wanted, n) == 0 && entry[n] == L'=') {
            wcsncpy(python, entry + n + 1, MAX_PATH - 1);
            python[MAX_PATH - 1] = L'\0';
        }
    }
    if (file)
        fclose(file);
    if (!python[0]) {
        fwprintf(stderr, L"No suitable Python runtime found\n");
        return 103;
    }
    rest = after_arguments(GetCommandLineW(), 2);
    size = wcslen(python) + wcslen(rest) + 4;
    command = (wchar_t *)malloc(size * sizeof(wchar_t));
    swprintf(command, size, L"\"%ls\" %ls", python, rest);
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    if (!CreateProcessW(python, command, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &process)) {
        fwprintf(stderr, L"py (test stand-in): cannot start %ls\n", python);
        return 101;
    }
    WaitForSingleObject(process.hProcess, INFINITE);
    GetExitCodeProcess(process.hProcess, &code);
    return (int)code;
}
