#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# --web-config: TLS (libmicrohttpd + GnuTLS) and basic auth (bcrypt, by
# libxcrypt's crypt()).  The certificate is made here by openssl(1) and the
# hash by Python's crypt module -- neither by netnsight; curl and a real
# Prometheus are the clients.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/common.sh"

ktap_plan 15

trap exp_cleanup EXIT
D=$NSI_TMP
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$D/key.pem" -out "$D/cert.pem" \
	-days 2 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 2>/dev/null
# cost 4 (16 rounds): bcrypt at cost 10 takes seconds under TCG
hash=$(python3 -W ignore -c 'import crypt; print(crypt.crypt("s3cret", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))')
check_match "the test's bcrypt hash ($hash)" '^\$2b\$04\$.{53}$' "$hash"
cat > "$D/web.yml" <<-YML
# what exporter-toolkit's web-config.yml looks like
tls_server_config:
  cert_file: $D/cert.pem
  key_file: $D/key.pem
basic_auth_users:
  prometheus: '$hash'
YML
exp_start --web-config "$D/web.yml" || exit 1
https=https://127.0.0.1:$EXP_PORT/metrics
code() { curl -s -o /dev/null -w '%{http_code}' --cacert "$D/cert.pem" "$@"; }
check_eq "TLS, no credentials: 401" 401 "$(code "$https")"
check_eq "TLS, wrong password: 401" 401 "$(code -u prometheus:wrong "$https")"
check_eq "TLS, unknown user: 401" 401 "$(code -u nobody:s3cret "$https")"
check_eq "TLS, right password: 200" 200 "$(code -u prometheus:s3cret "$https")"
check_match "... and the metrics" '^netnsight_build_info\{' \
	"$(curl -s --cacert "$D/cert.pem" -u prometheus:s3cret "$https")"
check_match "401 asks for basic auth" '^WWW-Authenticate: Basic realm="netnsight"' \
	"$(curl -s -D - -o /dev/null --cacert "$D/cert.pem" "$https" | tr -d '\r')"
check_eq "the certificate is the one we made" \
	"$(openssl x509 -in "$D/cert.pem" -noout -fingerprint -sha256)" \
	"$(openssl s_client -connect 127.0.0.1:$EXP_PORT </dev/null 2>/dev/null |
	   openssl x509 -noout -fingerprint -sha256)"
plain=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$EXP_PORT/metrics")
check_eq "plain HTTP to the TLS port: refused (no HTTP status)" 000 "$plain"

# Prometheus over TLS with basic auth, as a real deployment scrapes
prom_start_tls()
{
	PROM_SCRAPE_EXTRA="    scheme: https
    tls_config:
      ca_file: $D/cert.pem
    basic_auth:
      username: prometheus
      password: s3cret" prom_start
}
prom_start_tls || exit 1
check "Prometheus scrapes it over TLS with the password: up == 1" \
	wait_until 60 pq_is 'up{job="netnsight"}' 1
exp_stop TERM
check_eq "SIGTERM: exit 0" 0 "$EXP_RC"

# --- bad files: one line, exit 2, before anything is loaded -------------------
bad_web()	# bad_web YAML: exit 2 with one line naming --web-config
{
	local err rc
	printf '%s\n' "$1" > "$D/bad.yml"
	err=$("$NETNSIGHT" exporter --web-config "$D/bad.yml" 2>&1 >/dev/null)
	rc=$?
	[ $rc = 2 ] && [ "$(wc -l <<< "$err")" = 1 ] && [[ "$err" == *web-config* ]]
}
check "an unsupported key is refused, not ignored" bad_web 'http_server_config: {http2: false}'
check "a hash that is not bcrypt is refused" bad_web 'basic_auth_users: {u: plaintext}'
check "cert_file without key_file is refused" bad_web "tls_server_config: {cert_file: $D/cert.pem}"
check "YAML that is not YAML is refused" bad_web 'tls_server_config: [unclosed'

ktap_finish
