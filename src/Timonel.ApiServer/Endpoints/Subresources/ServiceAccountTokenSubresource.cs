using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints.Subresources;

/// <summary>POST serviceaccounts/NAME/token: an authentication.k8s.io/v1 TokenRequest (see <see cref="TokenRequestHandler"/>).</summary>
public sealed class ServiceAccountTokenSubresource : ISubresourceHandler
{
    public static SubresourceDefinition Definition { get; } = new()
    {
        Name = "token",
        Verbs = ["create"],
        Handler = new ServiceAccountTokenSubresource(),
        Kind = "TokenRequest",
        Group = "authentication.k8s.io",
        Version = "v1",
    };

    public Task HandleAsync(SubresourceRequest request) =>
        request.Services.TokenRequests.HandleAsync(request.Context, request.Services.Registry, request.Store, request.Namespace!, request.Name);
}
