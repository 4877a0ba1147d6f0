/*
 * Test-only: preloaded into a daemon (LD_PRELOAD), makes SIGUSR2 run a
 * system call no daemon's allow-list has, socket(AF_INET).  Under its
 * seccomp filter the daemon must die of SIGSYS; with --no-seccomp the call
 * simply runs and the daemon goes on.  Never installed.
 */
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static void
forbidden(int sig)
{
	static const char ran[] = "sigsys hook: socket(AF_INET) ran\n";
	long fd;

	(void)sig;
	fd = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	if (fd >= 0)
		close((int)fd);
	(void)write(STDERR_FILENO, ran, sizeof(ran) - 1);
}

__attribute__((constructor)) static void
install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forbidden;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR2, &sa, NULL);
}
