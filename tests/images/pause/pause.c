/*
 * The pod sandbox's first process: it holds the pod's namespaces open, reaps the
 * orphans that end up as its children (it is PID 1 of the pod when the PID namespace
 * is shared) and exits on SIGINT or SIGTERM. As PID 1 it gets no default signal
 * dispositions, so the handlers below are what makes it stoppable at all.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int signal_number) {
  /* 128 + signal, the shell's convention for "ended by this signal". */
  _exit(128 + signal_number);
}

static void reap(int signal_number) {
  (void)signal_number;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

static void on(int signal_number, void (*handler)(int), int flags) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = handler;
  action.sa_flags = flags;
  if (sigaction(signal_number, &action, NULL) < 0) {
    perror("pause: sigaction");
    exit(1);
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && (strcmp(argv[1], "-v") == 0 || strcmp(argv[1], "--version") == 0)) {
    puts("pause 3.10 (Timonel test image)");
    return 0;
  }
  if (getpid() != 1) {
    fputs("pause: warning: not running as PID 1\n", stderr);
  }
  on(SIGINT, stop, 0);
  on(SIGTERM, stop, 0);
  on(SIGCHLD, reap, SA_NOCLDSTOP | SA_RESTART);
  for (;;) {
    pause();
  }
}
