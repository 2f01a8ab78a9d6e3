using Microsoft.AspNetCore.Http;

namespace Timonel.Controllers.Ingress;

/// <summary>
/// Drops a wildcard-host or any-host route when a more specific host owns the request's host (see
/// <see cref="IngressHostOwners"/>): with <c>foo.example.com</c> and <c>*.example.com</c> rules, foo.example.com's
/// requests see only its own paths, as upstream serves them. The defaultBackend's route carries no host kind and
/// stays the last resort for every host.
/// </summary>
public sealed class HostOwnerPolicy(IngressHostOwners owners) : IngressCandidatePolicy
{
    // Beside the other Ingress policies: all only narrow the candidates, so their order does not matter.
    public override int Order => 2;

    protected override bool AppliesTo(IReadOnlyDictionary<string, string> metadata) =>
        metadata.ContainsKey(IngressProxyConfig.HostKindMetadata);

    protected override bool Keeps(HttpRequest request, IReadOnlyDictionary<string, string> metadata) =>
        owners.OwnerOf(request.Host.Host).ToString() == metadata[IngressProxyConfig.HostKindMetadata];
}
