# Converted from the os-faults config readme-universal.json by `faultline convert`.

cloud "readme-universal" {
  driver = "universal"

  auth {
    username         = "root"
    private_key_file = "openstack_key"
    known_hosts      = "~/.ssh/known_hosts"
    host_keys        = "strict"
  }

  node "node-192-168-5-127" {
    address = "192.168.5.127"
    power   = power.libvirt
  }

  node "node-192-168-5-128" {
    address = "192.168.5.128"
    power   = power.libvirt
  }

  service "memcached" {
    driver       = "system_service"
    service_name = "memcached"
    grep         = "memcached"
  }

  container "neutron_api" {
    driver         = "docker_container"
    container_name = "neutron_api"
  }

  power "libvirt" {
    driver = "libvirt"
    uri    = "qemu+unix:///system"
  }
}
