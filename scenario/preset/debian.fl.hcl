# The services of an OpenStack control plane built from Debian's own
# packages (Debian 12 "bookworm", OpenStack Zed; Ubuntu where its packages
# keep the same units), all system_service. A service declared in the
# user's cloud with the same name replaces the preset one.
#
# Units are the Debian package's own unit names (keystone, nova-api,
# mariadb, ...). Service names are the units' too, except mysql and
# rabbitmq, which keep os-faults' names so scenarios and `inject`
# sentences read the same with the devstack preset.
#
# Each grep matches the daemon's command line as Debian starts it, and
# nothing else: a binary by its program name (argv[0], any directory), an
# OpenStack Python daemon as its interpreter running /usr/bin/<name>, an
# API under uWSGI by its ini file. The packages' units run
# `/etc/init.d/<unit> systemd-start`, which execs
#   /usr/bin/uwsgi_python311 --http-socket :5000 --ini /etc/keystone/keystone-uwsgi.ini
#   /usr/bin/python3 /usr/bin/cinder-scheduler --config-file=/etc/cinder/cinder.conf ...
# (keystone, cinder-api, glance-api's alternative, nova-api,
# nova-api-metadata, placement-api, neutron-api, heat-api and heat-api-cfn
# run under uWSGI; Debian 12 runs glance-api without it, so its grep takes
# both). Debian splits neutron-server into neutron-api (uWSGI) and
# neutron-rpc-server. Ports are the services' listening ports, for
# unplug/plug. No braces in the patterns: Debian 12's mawk has no interval
# expressions.

service "apache2" {
  # Horizon (openstack-dashboard-apache) runs under it.
  driver       = "system_service"
  service_name = "apache2"
  grep         = "^([^ ]*/)?apache2( |$)"
}
service "cinder-api" {
  driver       = "system_service"
  service_name = "cinder-api"
  grep         = "^([^ ]*/)?uwsgi[^ ]* (.* )?--ini /etc/cinder/cinder-api-uwsgi\\.ini( |$)"
  port         = 8776
}
service "cinder-backup" {
  driver       = "system_service"
  service_name = "cinder-backup"
  grep         = "^([^ ]*/)?python3[^ ]* ([^ ]*/)?cinder-backup( |$)"
}
service "cinder-scheduler" {
  driver       = "system_service"
  service_name = "cinder-scheduler"
  grep         = "^([^ ]*/)?python3[^ ]* ([^ ]*/)?cinder-scheduler( |$)"
}
service "cinder-volume" {
  driver       = "system_service"
  service_name = "cinder-volume"
  grep         = "^([^ ]*/)?python3[^ ]* ([^ ]*/)?cinder-volume( |$)"
}
service "etcd" {
  driver       = "system_service"
  service_name = "etcd"
  grep         = "^([^ ]*/)?etcd( |$)"
  port         = 2379
}
service "glance-api" {
  driver       = "system_service"
  service_name = "glance-api"
  grep         = "^([^ ]*/)?python3[^ ]* ([^ ]*/)?glance-api( |$)|^([^ ]*/)?uwsgi[^ ]* (.* )?--ini /etc/glance/glance-api-uwsgi\\.ini( |$)"
  port         = 9292
}
service "haproxy" {
  driver       = "system_service"
  service_name = "haproxy"
  grep         = "^([^ ]*/)?haproxy( |$)"
}
service "heat-api" {
  driver       = "system_service"
  service_name = "heat-api"
  grep         = "^([^ ]*/)?uwsgi[^ ]* (.* )?--ini /etc/heat/heat-api-uwsgi\\.ini( |$)"
  port         = 8004
}
service "heat-api-cfn" {
  driver       = "system_service"
  service_name = "heat-api-cfn"
  grep         = "^([^ ]*/)?uwsgi[^ ]* (.* )?--ini /etc/heat/heat-api-cfn-uwsgi\\.ini( |$)"
  port         = 8000
}
service "heat-engine" {
  driver       = "system_service"
  service_name = "heat-engine"
  grep         = "^([^ ]*/)?python3[^ ]* ([^ ]*/)?heat-engine( |$)"
}
service "keepalived" {
  driver       = "system_service"
  service_name = "keepalived"
  grep         = "^([^ ]*/)?keepalived( |$)"
}
service "keystone" {
  driver       = "system_service"
  service_name = "keystone"
  grep         = "^([^ ]*/)?uwsgi[^ ]* (.* )?--ini /etc/keystone/keystone-uwsgi\\.ini( |$)"
  port         = 5000
}
service "memcached" {
  driver       = "system_service"
  service_name = "memcached"
  grep         = "^([^ ]*/)?memcached( |$)"
  port         = 11211
}
service "mysql" {
  driver       = "system_service"
  service_name = "mariadb"
  grep         = "^([^ ]*/)?(mariadbd|mysqld)( |$)"
  port         = 3306
}
service "neutron-api" {
  driver       = "system_service"
  service_name = "neutron-api"
  grep         = "^([^ ]*/)?uwsgi[^ ]* (.* )?--ini /etc/neutron/neutron-api-uwsgi\\.ini( |$)"
  port         = 9696
}
service "neutron-dhcp-agent" {
  driver       = "system_service"
  service_name = "neutron-dhcp-agent"
  grep         = "^([^ ]*/)?python3[^ ]* ([^ ]*/)?neutron-dhcp-agent( |$)"
}
service "neutron-l3-agent" {
  driver       = "system_service"
  service_name = "neutron-l3-agent"
  grep         = "^([^ ]*/)?python3[^ ]* ([^ ]*/)?neutron-l3-agent( |$)"
}
service "neutron-metadata-agent" {
  driver       = "system_service"
  service_name = "neutron-metadata-agent"
  grep         = "^([^ ]*/)?python3[^ ]* ([^ ]*/)?neutron-metadata-agent( |$)"
}
service "neutron-openvswitch-agent" {
  driver       = "system_service"
  service_name = "neutron-openvswitch-agent"
  grep         = "^([^ ]*/)?python3[^ ]* ([^ ]*/)?neutron-openvswitch-agent( |$)"
}
service "neutron-rpc-server" {
  driver       = "system_service"
  service_name = "neutron-rpc-server"
  grep         = "^([^ ]*/)?python3[^ ]* ([^ ]*/)?neutron-rpc-server( |$)"
}
service "nova-api" {
  driver       = "system_service"
  service_name = "nova-api"
  grep         = "^([^ ]*/)?uwsgi[^ ]* (.* )?--ini /etc/nova/nova-api-uwsgi\\.ini( |$)"
  port         = 8774
}
service "nova-api-metadata" {
  driver       = "system_service"
  service_name = "nova-api-metadata"
  grep         = "^([^ ]*/)?uwsgi[^ ]* (.* )?--ini /etc/nova/nova-api-metadata-uwsgi\\.ini( |$)"
  port         = 8775
}
service "nova-compute" {
  driver       = "system_service"
  service_name = "nova-compute"
  grep         = "^([^ ]*/)?python3[^ ]* ([^ ]*/)?nova-compute( |$)"
}
service "nova-conductor" {
  driver       = "system_service"
  service_name = "nova-conductor"
  grep         = "^([^ ]*/)?python3[^ ]* ([^ ]*/)?nova-conductor( |$)"
}
service "nova-scheduler" {
  driver       = "system_service"
  service_name = "nova-scheduler"
  grep         = "^([^ ]*/)?python3[^ ]* ([^ ]*/)?nova-scheduler( |$)"
}
service "placement-api" {
  driver       = "system_service"
  service_name = "placement-api"
  grep         = "^([^ ]*/)?uwsgi[^ ]* (.* )?--ini /etc/placement/placement-api-uwsgi\\.ini( |$)"
  port         = 8778
}
service "prometheus" {
  driver       = "system_service"
  service_name = "prometheus"
  grep         = "^([^ ]*/)?prometheus( |$)"
  port         = 9090
}
service "prometheus-mysqld-exporter" {
  driver       = "system_service"
  service_name = "prometheus-mysqld-exporter"
  grep         = "^([^ ]*/)?prometheus-mysqld-exporter( |$)"
  port         = 9104
}
service "prometheus-node-exporter" {
  driver       = "system_service"
  service_name = "prometheus-node-exporter"
  grep         = "^([^ ]*/)?prometheus-node-exporter( |$)"
  port         = 9100
}
service "rabbitmq" {
  driver       = "system_service"
  service_name = "rabbitmq-server"
  grep         = "^([^ ]*/)?beam\\.smp .* -s rabbit boot( |$)"
  port         = 5672
}
