# The OpenStack lab as a cloud: exactly what
#   faultline lab up -profile openstack -dir .oslab
# writes into .oslab/cloud.fl.hcl when run in the repository's root, with the
# lab's client key and known_hosts named relative to this directory (a test
# keeps the two in sync). For your own cloud, replace this file: the
# scenarios refer only to cloud.openstack, its services, its management
# network and the endpoints in `locals`.
cloud "openstack" {
  driver = "universal"

  auth {
    username         = "root"
    private_key_file = "../../.oslab/keys/client"
    known_hosts      = "../../.oslab/known_hosts"
    host_keys        = "strict"
  }

  node "node-1" {
    address = "198.18.30.11"
    fqdn    = "node-1.lab"
    labels  = { role = "controller", rack = "a" }
  }

  node "node-2" {
    address = "198.18.30.12"
    fqdn    = "node-2.lab"
    labels  = { role = "controller", rack = "b" }
  }

  node "node-3" {
    address = "198.18.30.13"
    fqdn    = "node-3.lab"
    labels  = { role = "controller", rack = "a" }
  }

  node "node-4" {
    address = "198.18.30.14"
    fqdn    = "node-4.lab"
    labels  = { role = "monitor", rack = "b" }
  }

  service "mariadb" {
    driver       = "system_service"
    service_name = "mariadb"
    grep         = "^/usr/sbin/mariadbd( |$)"
    port         = 3306
  }

  service "galera-clustercheck" {
    driver       = "system_service"
    service_name = "galera-clustercheck"
    grep         = "^/usr/bin/socat TCP-LISTEN:4569,"
    port         = 4569
  }

  service "rabbitmq-server" {
    driver       = "system_service"
    service_name = "rabbitmq-server"
    grep         = "/beam\\.smp .* -s rabbit boot( |$)"
    port         = 5672
  }

  service "memcached" {
    driver       = "system_service"
    service_name = "memcached"
    grep         = "^/usr/bin/memcached( |$)"
    port         = 11211
  }

  service "haproxy" {
    driver       = "system_service"
    service_name = "haproxy"
    grep         = "^haproxy -D -f /etc/haproxy/haproxy\\.cfg( |$)"
  }

  service "keepalived" {
    driver       = "system_service"
    service_name = "keepalived"
    grep         = "^/usr/sbin/keepalived( |$)"
  }

  service "keystone" {
    driver       = "system_service"
    service_name = "keystone"
    grep         = "^/usr/bin/uwsgi_python311 --ini /etc/keystone/keystone-uwsgi\\.ini$"
    port         = 5000
  }

  service "cinder-api" {
    driver       = "system_service"
    service_name = "cinder-api"
    grep         = "^/usr/bin/uwsgi_python311 --ini /etc/cinder/cinder-api-uwsgi\\.ini$"
    port         = 8776
  }

  service "cinder-scheduler" {
    driver       = "system_service"
    service_name = "cinder-scheduler"
    grep         = "^/usr/bin/python3 /usr/bin/cinder-scheduler( |$)"
  }

  service "prometheus-node-exporter" {
    driver       = "system_service"
    service_name = "prometheus-node-exporter"
    grep         = "^/usr/bin/prometheus-node-exporter( |$)"
    port         = 9100
  }

  service "prometheus-mysqld-exporter" {
    driver       = "system_service"
    service_name = "prometheus-mysqld-exporter"
    grep         = "^/usr/bin/prometheus-mysqld-exporter( |$)"
    port         = 9104
  }

  service "prometheus" {
    driver       = "system_service"
    service_name = "prometheus"
    grep         = "^/usr/bin/prometheus( |$)"
    port         = 9090
  }

  network "management" {
    iface = "eth0"
    cidr  = "198.18.30.0/24"
  }
}

# The cloud's endpoints, for probes.
locals {
  vip        = "198.18.30.10"
  keystone   = "http://198.18.30.10:5000/v3"
  cinder     = "http://198.18.30.10:8776/v3"
  prometheus = "http://198.18.30.14:9090"
}
