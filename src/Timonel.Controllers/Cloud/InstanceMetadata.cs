using k8s.Models;

namespace Timonel.Controllers.Cloud;

/// <summary>
/// A machine as the cloud describes it (cloudprovider.InstanceMetadata): the Node's spec.providerID
/// (<c>&lt;provider&gt;://&lt;id&gt;</c>), its <c>node.kubernetes.io/instance-type</c> label ("" for none) and its
/// status.addresses (empty: the cloud does not know them, the kubelet's are kept).
/// </summary>
public sealed record InstanceMetadata(string ProviderId, string InstanceType, IReadOnlyList<V1NodeAddress> NodeAddresses);
