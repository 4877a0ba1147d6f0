/*
 * Test-only: preloaded into a daemon (LD_PRELOAD), makes SIGUSR2 run a
 * system call the daemon's filter must refuse.  Under its seccomp filter
 * the daemon must die of SIGSYS; with --no-seccomp the call simply runs
 * (or fails) and the daemon goes on.  Never installed.  The call, from
 * CADV_SIGSYS_CALL:
 *   socket (default)   socket(AF_INET), which no daemon's list has
 *   ftruncate:PATH     open PATH read-only, then ftruncate it to 0
 *   openrw:PATH        open PATH read-write
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *call = "socket";

static void
forbidden(int sig)
{
	static const char ran[] = "sigsys hook: the call ran\n";
	long fd = -1;

	(void)sig;
	if (strncmp(call, "ftruncate:", 10) == 0) {
		fd = syscall(SYS_openat, AT_FDCWD, call + 10, O_RDONLY);
		if (fd >= 0)
			(void)syscall(SYS_ftruncate, fd, 0);
	} else if (strncmp(call, "openrw:", 7) == 0)
		fd = syscall(SYS_openat, AT_FDCWD, call + 7, O_RDWR);
	else
		fd = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	if (fd >= 0)
		close((int)fd);
	(void)write(STDERR_FILENO, ran, sizeof(ran) - 1);
}

__attribute__((constructor)) static void
install(void)
{
	struct sigaction sa;
	const char *c = getenv("CADV_SIGSYS_CALL");

	if (c != NULL)
		call = c;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forbidden;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR2, &sa, NULL);
}
