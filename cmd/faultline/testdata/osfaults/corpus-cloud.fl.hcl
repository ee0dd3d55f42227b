# The cloud every os-faults corpus sentence
# (scenario/sentence/testdata/os-faults-corpus.txt) is planned against,
# with the real drivers: the names the sentences use.
cloud "corpus" {
  driver = "universal"

  node "ctl-1" {
    address = "198.18.220.11"
    fqdn    = "node-1.domain.tld"
    power   = power.virt
  }
  node "ctl-2" {
    address = "198.18.220.12"
    fqdn    = "node-2.domain.tld"
    power   = power.virt
  }
  node "cmp-1" {
    address = "198.18.220.21"
    fqdn    = "cmp-1.lab"
    power   = power.virt
  }

  network "management" { iface = "eth0" }
  network "storage" { iface = "eth1" }
  network "private" { iface = "eth2" }
  network "public" { iface = "eth3" }

  service "keystone" {
    driver       = "system_service"
    service_name = "devstack@keystone"
    port         = 5000
    hosts        = ["ctl-1", "ctl-2"]
  }
  service "nova-api" {
    driver       = "system_service"
    service_name = "devstack@n-api"
    hosts        = ["ctl-1", "ctl-2"]
  }
  service "mysql" {
    driver       = "system_service"
    service_name = "mariadb"
    grep         = "mysqld"
    port         = 3306
    hosts        = ["ctl-1", "ctl-2"]
  }
  service "rabbitmq" {
    driver       = "system_service"
    service_name = "rabbitmq-server"
    hosts        = ["ctl-1", "ctl-2", "cmp-1"]
  }
  service "memcached" {
    driver       = "system_service"
    service_name = "memcached"
    hosts        = ["ctl-1", "ctl-2", "cmp-1"]
  }
  service "etcd" {
    driver       = "system_service"
    service_name = "devstack@etcd"
    hosts        = ["ctl-1", "ctl-2", "cmp-1"]
  }

  container "neutron_api" {
    driver         = "docker_container"
    container_name = "neutron_api"
    hosts          = ["ctl-1", "ctl-2"]
  }
  container "neutron_ovs_agent" {
    driver         = "docker_container"
    container_name = "neutron_ovs_agent"
    hosts          = ["ctl-1", "ctl-2", "cmp-1"]
  }

  power "virt" {
    driver = "libvirt"
    uri    = "qemu:///system"
  }
}
