/* LD_PRELOAD shim: record what a power cut would leave on disk.
 *
 * Only fsync/fdatasync make data durable. When a regular file under DURABLE_ROOT is
 * synced, its whole content is copied to DURABLE_SHADOW/ino/<inode> (written to a temp
 * file and renamed, so hard links taken earlier keep the older content). When a
 * directory is synced, its list of entries (name and inode) is written to
 * DURABLE_SHADOW/dir/<path with '/' as '%'>. A file survives a power cut when its name
 * was in a synced directory list and its inode's content was synced.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void copy_file(const char *path, ino_t ino, const char *shadow) {
    char tmp[PATH_MAX], dst[PATH_MAX];
    snprintf(dst, sizeof dst, "%s/ino/%lu", shadow, (unsigned long)ino);
    snprintf(tmp, sizeof tmp, "%s/ino/.%lu.%d", shadow, (unsigned long)ino, getpid());
    int in = open(path, O_RDONLY);
    if (in < 0) return;
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) { close(in); return; }
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        if (write(out, buf, (size_t)n) != n) break;
    }
    close(in);
    close(out);
    rename(tmp, dst);
}

static void list_dir(const char *path, const char *shadow) {
    char name[PATH_MAX], tmp[PATH_MAX], dst[PATH_MAX];
    snprintf(name, sizeof name, "%s", path);
    for (char *p = name; *p; p++) if (*p == '/') *p = '%';
    snprintf(dst, sizeof dst, "%s/dir/%s", shadow, name);
    snprintf(tmp, sizeof tmp, "%s/dir/.tmp.%d", shadow, getpid());
    DIR *dir = opendir(path);
    if (!dir) return;
    FILE *out = fopen(tmp, "w");
    if (!out) { closedir(dir); return; }
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.' && (entry->d_name[1] == 0 ||
            (entry->d_name[1] == '.' && entry->d_name[2] == 0))) continue;
        fprintf(out, "%s\t%lu\t%c\n", entry->d_name, (unsigned long)entry->d_ino,
                entry->d_type == DT_DIR ? 'd' : 'f');
    }
    fclose(out);
    closedir(dir);
    rename(tmp, dst);
}

static void record(int fd) {
    const char *root = getenv("DURABLE_ROOT");
    const char *shadow = getenv("DURABLE_SHADOW");
    if (!root || !shadow) return;
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0) return;
    path[n] = 0;
    if (strncmp(path, root, strlen(root)) != 0) return;
    struct stat st;
    if (fstat(fd, &st) != 0) return;
    if (S_ISREG(st.st_mode)) copy_file(path, st.st_ino, shadow);
    else if (S_ISDIR(st.st_mode)) list_dir(path, shadow);
}

int fsync(int fd) {
    static int (*real)(int) = NULL;
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    int rc = real(fd);
    if (rc == 0) record(fd);
    return rc;
}

int fdatasync(int fd) {
    static int (*real)(int) = NULL;
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    int rc = real(fd);
    if (rc == 0) record(fd);
    return rc;
}
