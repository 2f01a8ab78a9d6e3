#!/bin/sh
# The official image's entrypoint, reduced to what these tests need: listen on IPv6 too when the pod has it
# (a bare "listen [::]:80" fails where IPv6 is off), then run the command.
set -e
if [ "$1" = nginx ] && [ -e /proc/net/if_inet6 ] && [ -w /etc/nginx/conf.d/default.conf ] \
    && ! grep -q 'listen  *\[::\]:80;' /etc/nginx/conf.d/default.conf; then
  sed -i 's/^\( *\)listen  *80;/&\n\1listen  [::]:80;/' /etc/nginx/conf.d/default.conf
fi
exec "$@"
