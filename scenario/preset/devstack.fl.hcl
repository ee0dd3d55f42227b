# DevStack's built-in services (os-faults devstack driver), all managed by
# systemd units. A service declared in the user's cloud with the same name
# replaces the preset one. MySQL listens on 3306 (stock MariaDB), not the
# Fuel/Galera legacy 3307 os-faults used; its grep matches the server binary
# (mariadbd since MariaDB 10.5, or mysqld), not prometheus-mysqld-exporter.
# RabbitMQ >= 3.7 no longer names rabbitmq_server-<version> on its Erlang
# VM's command line: its grep also takes the boot arguments (-s rabbit boot).
service "cinder-api" {
  driver       = "system_service"
  service_name = "devstack@c-api"
  grep         = "cinder-api"
}
service "cinder-scheduler" {
  driver       = "system_service"
  service_name = "devstack@c-sch"
  grep         = "cinder-schedule"
}
service "cinder-volume" {
  driver       = "system_service"
  service_name = "devstack@c-vol"
  grep         = "cinder-volume"
}
service "etcd" {
  driver       = "system_service"
  service_name = "devstack@etcd"
  grep         = "etcd"
}
service "glance-api" {
  driver       = "system_service"
  service_name = "devstack@g-api"
  grep         = "glance-api"
}
service "heat-api" {
  driver       = "system_service"
  service_name = "devstack@h-api"
  grep         = "heat-api"
}
service "heat-engine" {
  driver       = "system_service"
  service_name = "devstack@h-eng"
  grep         = "heat-engine"
}
service "keystone" {
  driver       = "system_service"
  service_name = "devstack@keystone"
  grep         = "keystone"
}
service "memcached" {
  driver       = "system_service"
  service_name = "memcached"
  grep         = "memcached"
  port         = 11211
}
service "mysql" {
  driver       = "system_service"
  service_name = "mariadb"
  grep         = "(^|/)(mysqld|mariadbd)( |$)"
  port         = 3306
}
service "neutron-dhcp-agent" {
  driver       = "system_service"
  service_name = "devstack@q-dhcp"
  grep         = "neutron-dhcp-agent"
}
service "neutron-l3-agent" {
  driver       = "system_service"
  service_name = "devstack@q-l3"
  grep         = "neutron-l3-agent"
}
service "neutron-meta-agent" {
  driver       = "system_service"
  service_name = "devstack@q-meta"
  grep         = "neutron-meta-agent"
}
service "neutron-openvswitch-agent" {
  driver       = "system_service"
  service_name = "devstack@q-agt"
  grep         = "neutron-openvswitch-agent"
}
service "neutron-server" {
  driver       = "system_service"
  service_name = "devstack@q-svc"
  grep         = "neutron-server"
}
service "nova-api" {
  driver       = "system_service"
  service_name = "devstack@n-api"
  grep         = "nova-api"
}
service "nova-compute" {
  driver       = "system_service"
  service_name = "devstack@n-cpu"
  grep         = "nova-compute"
}
service "nova-scheduler" {
  driver       = "system_service"
  service_name = "devstack@n-sch"
  grep         = "nova-scheduler"
}
service "placement-api" {
  driver       = "system_service"
  service_name = "devstack@placement-api"
  grep         = "placement"
}
service "rabbitmq" {
  driver       = "system_service"
  service_name = "rabbitmq-server"
  grep         = "rabbitmq_server|beam\\.smp .*-s rabbit boot"
}
