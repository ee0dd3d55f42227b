# os-faults README, example 2: an arbitrary OpenStack with the universal
# driver: nodes listed explicitly, services and containers declared with
# their drivers, and libvirt power management for the virtual nodes.

cloud "openstack" {
  driver = "universal"

  auth {
    username         = "root"
    private_key_file = "openstack_key"
    known_hosts      = "./known_hosts"
  }

  node "node-1" {
    address = "198.18.201.11"
    fqdn    = "node-1.domain.tld"
    mac     = "52:54:00:AA:00:01"
    labels  = { role = "controller" }
    power   = power.virt
  }
  node "node-2" {
    address = "198.18.201.12"
    fqdn    = "node-2.domain.tld"
    mac     = "52:54:00:AA:00:02"
    labels  = { role = "compute" }
    power   = power.virt
  }

  service "memcached" {
    driver       = "system_service"
    service_name = "memcached"
    grep         = "^/usr/bin/memcached( |$)"
    hosts        = ["node-1", "node-2"]
  }

  container "neutron_api" {
    driver         = "docker_container"
    container_name = "neutron_api"
    hosts          = ["node-1"]
  }

  power "virt" {
    driver = "libvirt"
    uri    = "qemu+unix:///system"
  }
}

scenario "power-cycle-compute" {
  cloud = cloud.openstack
  seed  = 2

  step "off" {
    poweroff = with_label("role", "compute")
  }

  step "on" {
    poweron = with_label("role", "compute")
  }
}
