#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deploy/verify-caps in the guest, where the module is loaded: the
# exporter unit's capability set (deploy/systemd/netnsight-exporter.service)
# is enough for ls, show, trace and the module's /proc/net/netnsight_all
# as a non-root uid with no_new_privs, each output equal to root's, and
# every capability in it is needed -- CAP_NET_ADMIN's need shows only
# here, with the module.  Its TAP lines are this test's results.  The plain
# build of netnsight runs as the service uid: the ASan build's log files
# are root's.
. "$(dirname "$0")/../lib.sh"

if [ -n "${NSI_SANITIZER_LOGS:-}" ]; then
	echo "1..1"
	echo "ok 1 the unit's capabilities (deploy/verify-caps) # SKIP the ASan run: it runs the plain build as the service uid; the plain run checks it"
	exit 0
fi
nsi_module_loaded || { echo "not ok 1 netnsight.ko is loaded for this test"; exit 1; }
exec "$NSI_ROOT/deploy/verify-caps" "$NSI_ROOT/user/netnsight"
