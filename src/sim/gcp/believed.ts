/**
 * Addresses of devices that only the flagship's wrong models put on the path (`edge/models.ts`): the
 * load-balancer appliance of `separate-lb-box`, the NodePort of `kube-proxy-on-neg-path` and the NAT
 * gateway of `cloud-nat-inbound`. None of these is on the real path; the values are illustrative and
 * chosen so that each is plausible for the cluster's region. No imports from `edge/`, so both the GFE
 * and the VPC stages can use them.
 */

/** The appliance's address in the nodes' subnet, and the port it listens on for plain HTTP. */
export const applianceAddress = (subnet: string) => `${subnet}.250`;
export const APPLIANCE_PORT = 80;
/** The physical host the VPC would tunnel to for the appliance. */
export const APPLIANCE_HOST = "10.255.9.250";

/**
 * The NodePort the web Service would have if the load balancer used node ports (the instance-group
 * path): a port in the default range 30000–32767, which the Ingress's firewall rule also opens.
 */
export const WEB_NODE_PORT = 31380;

/** The external address a Cloud NAT gateway in each region would hold (illustrative, from Google's ranges). */
export const NAT_ADDRESSES: Readonly<Record<string, string>> = {
  "us-central1": "34.30.122.18",
  "europe-west1": "34.76.51.204",
  "asia-northeast1": "34.84.203.77",
};
/** The physical host the VPC would tunnel to for the NAT gateway. */
export const NAT_HOST = "10.255.9.251";

/** The gateway's address for a region. */
export function natAddress(region: string): string {
  const found = NAT_ADDRESSES[region];
  if (!found) throw new Error(`no NAT address for region ${region}`);
  return found;
}

/** The port the gateway maps a connection to: Cloud NAT allocates ports from 1024 up, per VM. */
export const natPort = (sourcePort: number) => 1024 + (sourcePort % 64512);
