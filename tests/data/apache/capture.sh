#!/bin/sh
# Captures the mod_status `?auto` and php-fpm status fixtures from the real
# Apache 2.4 and php-fpm 8.2 of this machine, on loopback only (127.0.0.1:18080).
# Run as root from this directory: ./capture.sh
set -eu
[ "${DEBUG:-}" ] && set -x
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /var/tmp/hadeck-apache-capture.XXXXXX)
port=18080
trap 'kill $(cat "$work/php-fpm.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
chmod 755 "$work"
mkdir -p "$work/www" "$work/run"
chown www-data "$work/run"
echo '<?php echo "ok";' > "$work/www/index.php"

cat > "$work/php-fpm.conf" <<CONF
[global]
pid = $work/php-fpm.pid
error_log = $work/php-fpm.log
daemonize = yes
[www]
user = www-data
group = www-data
listen = $work/run/fpm.sock
listen.owner = www-data
pm = static
pm.max_children = 3
pm.status_path = /fpm-status
CONF
php-fpm8.2 -y "$work/php-fpm.conf"

run() { # mpm extended tls name
    mpm=$1 ext=$2 tls=$3 name=$4
    cat > "$work/httpd.conf" <<CONF
ServerName capture
ServerRoot /etc/apache2
DefaultRuntimeDir $work/run
PidFile $work/run/httpd.pid
Mutex file:$work/run default
Listen 127.0.0.1:$port
LoadModule mpm_${mpm}_module /usr/lib/apache2/modules/mod_mpm_${mpm}.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule authz_host_module /usr/lib/apache2/modules/mod_authz_host.so
LoadModule status_module /usr/lib/apache2/modules/mod_status.so
LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so
LoadModule proxy_fcgi_module /usr/lib/apache2/modules/mod_proxy_fcgi.so
User www-data
Group www-data
ErrorLog $work/error.log
DocumentRoot $work/www
<Directory />
    AllowOverride None
</Directory>
ExtendedStatus $ext
<Location /server-status>
    SetHandler server-status
    Require ip 127.0.0.1
</Location>
<Location /fpm-status>
    SetHandler "proxy:unix:$work/run/fpm.sock|fcgi://localhost/fpm-status"
</Location>
CONF
    if [ "$tls" = on ]; then
        cat >> "$work/httpd.conf" <<CONF
LoadModule socache_shmcb_module /usr/lib/apache2/modules/mod_socache_shmcb.so
LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so
SSLSessionCache shmcb:$work/run/ssl_scache(512000)
CONF
    fi
    apache2 -f "$work/httpd.conf" -k start
    trap 'apache2 -f "$work/httpd.conf" -k stop 2>/dev/null; kill $(cat "$work/php-fpm.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/server-status?auto" >/dev/null && break; sleep 0.1; done
    for _ in $(seq 20); do curl -s "http://127.0.0.1:$port/server-status" >/dev/null; done
    curl -sf "http://127.0.0.1:$port/server-status?auto" > "$out/status-$name.txt"
    if [ "$name" = worker-ext ]; then
        curl -sf "http://127.0.0.1:$port/server-status" > "$out/status-html.html"
        curl -sf "http://127.0.0.1:$port/fpm-status" > "$out/fpm-status.txt"
        curl -sf "http://127.0.0.1:$port/fpm-status?json" > "$out/fpm-status.json"
        curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$port/nothing?auto" > /dev/null
    fi
    apache2 -f "$work/httpd.conf" -k stop
    for _ in $(seq 50); do [ -e "$work/run/httpd.pid" ] || break; sleep 0.1; done
}
run worker On off worker-ext
run worker Off off worker-noext
run event On on event-ext-tls
run event Off off event-noext
run prefork On off prefork-ext
run prefork Off off prefork-noext
