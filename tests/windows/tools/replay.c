/* A stand-in for a Windows command-line tool: prints what a real one printed.
 *
 * Built as nvidia-smi.exe for the Windows test lane. Beside the .exe lie the
 * recorded outputs: <name>.query.txt is printed when an argument starts with
 * "--query-gpu", <name>.table.txt otherwise; <name>.exit, when present, holds
 * the exit code. A missing recording is an error (exit 255), never an output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

static int replay(const char *path)
{
    char buffer[65536];
    size_t got;
    FILE *file = fopen(path, "rb");
    if (!file) {
        fprintf(stderr, "replay: no recording %s\n", path);
        return 255;
    }
    while ((got = fread(buffer, 1, sizeof buffer, file)) > 0)
        fwrite(buffer, 1, got, stdout);
    fclose(file);
    return 0;
}

int main(int argc, char **argv)
{
    char base[MAX_PATH], path[MAX_PATH + 32];
    const char *kind = "table";
    DWORD length = GetModuleFileNameA(NULL, base, MAX_PATH);
    int i, status;
    FILE *code;

    if (length == 0 || length >= MAX_PATH)
        return 255;
    if (length > 4 && _stricmp(base + length - 4, ".exe") == 0)
        base[length - 4] = '\0';
    for (i = 1; i < argc; i++)
        if (strncmp(argv[i], "--query-gpu", 11) == 0)
            kind = "query";
    snprintf(path, sizeof path, "%s.%s.txt", base, kind);
    status = replay(path);
    if (status != 0)
        return status;
    snprintf(path, sizeof path, "%s.exit", base);
    code = fopen(path, "rb");
    if (code) {
        if (fscanf(code, "%d", &status) != 1)
            status = 255;
        fclose(code);
    }
    fflush(stdout);
    return status;
}
