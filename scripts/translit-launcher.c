/* The translit command where a C compiler is when the package is built (Linux; see
 * hatch_build.py): what scripts/translit-launcher does, as one small program rather than a
 * shell and `env` in front of Python (two programs started before Python, about a
 * millisecond of every run, a twentieth of the plain filter's start-up).
 *
 * A folder as standard input is refused here, as translit says an error, naming what failed
 * (Python itself refuses it in its own start-up: "Fatal Python error: init_sys_streams:
 * <stdin> is a directory", exit 1). Then SIGINT, SIGTERM and SIGHUP are blocked, not
 * ignored, and the Python part, _translit beside this program, is run in its place: a
 * signal that comes while the interpreter starts waits until translit's own handlers are
 * set (translit.cli.main unblocks them), and then ends the run quietly with 128 + its
 * number (130 for Ctrl-C).
 *
 * "Beside this program" is beside the file itself (/proc/self/exe), links resolved, as the
 * shell launcher finds it when it is run through a link from another folder. Where /proc
 * is not mounted (a chroot, a container), the file is the one its name was found as: the
 * name itself if it has a slash, else the first of that name in PATH's folders, as the
 * shell searched them. */
#define _XOPEN_SOURCE 700  /* realpath, sigprocmask, readlink */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PYTHON_PART "_translit"
#ifndef SELF_EXE  /* (a macro so that the tests can build one that finds no /proc) */
#define SELF_EXE "/proc/self/exe"
#endif

/* Into `found` (PATH_MAX bytes), the file `name` was run as, links resolved (see above);
 * return 0 if there is none. */
static int
found_by_name(const char *name, char *found)
{
    char candidate[PATH_MAX];
    struct stat file;
    const char *folders = getenv("PATH"), *at, *end;

    if (strchr(name, '/') != NULL)
        return realpath(name, found) != NULL;
    if (folders == NULL)
        return 0;
    for (at = folders; ; at = end + 1) {
        end = strchr(at, ':');
        int size = (int)(end ? (size_t)(end - at) : strlen(at));
        /* (an empty folder in PATH is the current one) */
        int length = snprintf(candidate, sizeof candidate, "%.*s/%s", size ? size : 1,
                              size ? at : ".", name);
        if (length > 0 && length < (int)sizeof candidate && access(candidate, X_OK) == 0
                && stat(candidate, &file) == 0 && S_ISREG(file.st_mode)  /* (not a folder, */
                && realpath(candidate, found) != NULL)                   /* as the shell) */
            return 1;
        if (end == NULL)
            return 0;
    }
}

int main(int argc, char **argv)
{
    static char path[PATH_MAX + sizeof PYTHON_PART];
    static char *alone[2];  /* the arguments when it was given none, not even its name */
    struct stat input;
    sigset_t held;
    ssize_t length;
    char *slash;

    if (argc < 1)
        argv = alone;
    if (fstat(0, &input) == 0 && S_ISDIR(input.st_mode)) {
        fputs("translit: standard input: cannot read: Is a directory\n", stderr);
        return 2;
    }
    sigemptyset(&held);
    sigaddset(&held, SIGINT);
    sigaddset(&held, SIGTERM);
    sigaddset(&held, SIGHUP);
    sigprocmask(SIG_BLOCK, &held, NULL);

    length = readlink(SELF_EXE, path, PATH_MAX);
    if (length <= 0 || length >= PATH_MAX) {  /* no /proc: the name it was run by */
        if (argv[0] == NULL || !found_by_name(argv[0], path)) {
            fprintf(stderr, "translit: cannot find %s: " SELF_EXE " cannot be read, and "
                    "the command's name is not found\n", PYTHON_PART);
            return 127;
        }
        length = (ssize_t)strlen(path);
    }
    path[length] = '\0';
    slash = strrchr(path, '/');
    strcpy(slash ? slash + 1 : path, PYTHON_PART);
    argv[0] = path;
    execv(path, argv);
    fprintf(stderr, "translit: %s: %s\n", path, strerror(errno));  /* as env says it */
    return errno == ENOENT ? 127 : 126;
}
