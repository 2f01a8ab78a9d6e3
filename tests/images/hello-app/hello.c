/*
 * The test stand-in for gcr.io/google-samples/hello-app: an HTTP server on $PORT
 * (default 8080) that answers every path with
 *   Hello, world!\nVersion: <HELLO_VERSION>\nHostname: <hostname>\n
 * and logs one line per request to stdout. One process per connection keeps a slow or
 * stuck client from holding up the others; connections are kept alive as HTTP/1.1 asks.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#ifndef HELLO_VERSION
#define HELLO_VERSION "1.0.0"
#endif

enum { HEADER_LIMIT = 16384, IDLE_SECONDS = 60 };

/* One line per call, written with a single write so lines of concurrent connections never interleave. */
static void log_line(const char *format, ...) {
  char line[1024];
  time_t now = time(NULL);
  struct tm utc;
  gmtime_r(&now, &utc);
  size_t length = strftime(line, sizeof line, "%Y/%m/%d %H:%M:%S ", &utc);
  va_list arguments;
  va_start(arguments, format);
  int written = vsnprintf(line + length, sizeof line - length - 1, format, arguments);
  va_end(arguments);
  if (written < 0) {
    return;
  }
  length += (size_t)written < sizeof line - length - 1 ? (size_t)written : sizeof line - length - 2;
  line[length++] = '\n';
  if (write(STDOUT_FILENO, line, length) < 0) {
    /* Nowhere left to report a failed log write. */
  }
}

static void stop(int signal_number) { _exit(128 + signal_number); }

static int send_all(int connection, const char *data, size_t length) {
  while (length > 0) {
    ssize_t sent = send(connection, data, length, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) {
      continue;
    }
    if (sent <= 0) {
      return -1;
    }
    data += sent;
    length -= (size_t)sent;
  }
  return 0;
}

static void send_status(int connection, const char *status) {
  char response[256];
  int length = snprintf(response, sizeof response,
                        "HTTP/1.1 %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status);
  send_all(connection, response, (size_t)length);
}

/* The value of header `name` in the header block, copied into `value`; empty when absent. */
static void header_value(const char *headers, const char *name, char *value, size_t capacity) {
  size_t name_length = strlen(name);
  value[0] = '\0';
  for (const char *line = strstr(headers, "\r\n"); line != NULL; line = strstr(line, "\r\n")) {
    line += 2;
    if (strncasecmp(line, name, name_length) == 0 && line[name_length] == ':') {
      const char *start = line + name_length + 1;
      start += strspn(start, " \t");
      size_t length = strcspn(start, "\r\n");
      if (length >= capacity) {
        length = capacity - 1;
      }
      memcpy(value, start, length);
      value[length] = '\0';
      return;
    }
  }
}

/* Reads and throws away a request body so the next request on the connection starts where it should. */
static int discard_body(int connection, char *buffer, size_t *buffered, long long body_length) {
  size_t from_buffer = (size_t)body_length < *buffered ? (size_t)body_length : *buffered;
  memmove(buffer, buffer + from_buffer, *buffered - from_buffer);
  *buffered -= from_buffer;
  body_length -= (long long)from_buffer;
  char sink[4096];
  while (body_length > 0) {
    ssize_t received = recv(connection, sink, body_length < (long long)sizeof sink ? (size_t)body_length : sizeof sink, 0);
    if (received < 0 && errno == EINTR) {
      continue;
    }
    if (received <= 0) {
      return -1;
    }
    body_length -= received;
  }
  return 0;
}

/* Answers one request from the buffer; returns 1 to keep the connection, 0 to close it. */
static int answer(int connection, char *buffer, size_t *buffered, size_t header_length) {
  char headers[HEADER_LIMIT + 1];
  memcpy(headers, buffer, header_length);
  headers[header_length] = '\0';
  memmove(buffer, buffer + header_length, *buffered - header_length);
  *buffered -= header_length;

  char method[16], path[2048], version[16];
  if (sscanf(headers, "%15s %2047s %15s", method, path, version) != 3 || strncmp(version, "HTTP/1.", 7) != 0) {
    send_status(connection, "400 Bad Request");
    return 0;
  }
  char value[256];
  header_value(headers, "Transfer-Encoding", value, sizeof value);
  if (value[0] != '\0') {
    send_status(connection, "501 Not Implemented");
    return 0;
  }
  header_value(headers, "Content-Length", value, sizeof value);
  if (value[0] != '\0') {
    char *end;
    long long body_length = strtoll(value, &end, 10);
    if (*end != '\0' || body_length < 0 || discard_body(connection, buffer, buffered, body_length) < 0) {
      send_status(connection, "400 Bad Request");
      return 0;
    }
  }
  header_value(headers, "Connection", value, sizeof value);
  int keep_alive = strcmp(version, "HTTP/1.1") == 0 ? strcasecmp(value, "close") != 0 : strcasecmp(value, "keep-alive") == 0;

  log_line("Serving request: %s", path);
  char hostname[256] = "";
  gethostname(hostname, sizeof hostname - 1);
  char body[512];
  int body_length = snprintf(body, sizeof body, "Hello, world!\nVersion: %s\nHostname: %s\n", HELLO_VERSION, hostname);
  char response[1024];
  int length = snprintf(response, sizeof response,
                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\n%s\r\n%s",
                        body_length, keep_alive ? "" : "Connection: close\r\n",
                        strcmp(method, "HEAD") == 0 ? "" : body);
  if (send_all(connection, response, (size_t)length) < 0) {
    return 0;
  }
  return keep_alive;
}

static void serve(int connection) {
  struct timeval idle = {.tv_sec = IDLE_SECONDS};
  setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
  char buffer[HEADER_LIMIT];
  size_t buffered = 0;
  for (;;) {
    char *end = buffered > 0 ? memmem(buffer, buffered, "\r\n\r\n", 4) : NULL;
    if (end != NULL) {
      if (!answer(connection, buffer, &buffered, (size_t)(end - buffer) + 4)) {
        return;
      }
      continue;
    }
    if (buffered == sizeof buffer) {
      send_status(connection, "431 Request Header Fields Too Large");
      return;
    }
    ssize_t received = recv(connection, buffer + buffered, sizeof buffer - buffered, 0);
    if (received < 0 && errno == EINTR) {
      continue;
    }
    if (received <= 0) {
      return;
    }
    buffered += (size_t)received;
  }
}

static int listen_on(int port) {
  int one = 1, zero = 0;
  int listener = socket(AF_INET6, SOCK_STREAM, 0);
  if (listener >= 0) {
    struct sockaddr_in6 address = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port), .sin6_addr = in6addr_any};
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(listener, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) == 0) {
      return listener;
    }
    close(listener);
  }
  /* No IPv6 in this network namespace: IPv4 only. */
  listener = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(INADDR_ANY)};
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (listener < 0 || bind(listener, (struct sockaddr *)&address, sizeof address) < 0) {
    perror("hello-app: bind");
    exit(1);
  }
  return listener;
}

int main(void) {
  const char *port_text = getenv("PORT");
  char *end = NULL;
  long port = port_text != NULL && *port_text != '\0' ? strtol(port_text, &end, 10) : 8080;
  if ((end != NULL && *end != '\0') || port < 1 || port > 65535) {
    fprintf(stderr, "hello-app: PORT must be a number from 1 to 65535, not \"%s\"\n", port_text);
    return 1;
  }
  /* As PID 1 in a container the default dispositions do not apply; stop on the kubelet's SIGTERM. */
  signal(SIGTERM, stop);
  signal(SIGINT, stop);
  /* Connection processes are reaped by the kernel. */
  signal(SIGCHLD, SIG_IGN);
  int listener = listen_on((int)port);
  if (listen(listener, 1024) < 0) {
    perror("hello-app: listen");
    return 1;
  }
  log_line("Server listening on port %ld", port);
  for (;;) {
    int connection = accept(listener, NULL, NULL);
    if (connection < 0) {
      if (errno != EINTR) {
        /* Out of descriptors or memory: wait for connections to finish rather than spin. */
        usleep(10000);
      }
      continue;
    }
    pid_t child = fork();
    if (child == 0) {
      close(listener);
      serve(connection);
      shutdown(connection, SHUT_WR);
      _exit(0);
    }
    if (child < 0) {
      send_status(connection, "503 Service Unavailable");
    }
    close(connection);
  }
}
