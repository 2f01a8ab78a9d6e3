using Timonel.ApiServer.Registry;
using Timonel.ApiServer.Registry.Certificates;

namespace Timonel.ApiServer.Endpoints.Subresources;

/// <summary>
/// certificatesigningrequests/NAME/approval (upstream's ApprovalREST): read, replaced or patched through a strategy
/// that changes only status.conditions. <c>kubectl certificate approve|deny</c> PUTs the CSR with its new condition.
/// </summary>
public sealed class CertificateApprovalSubresource : ISubresourceHandler
{
    public static SubresourceDefinition Definition { get; } = new()
    {
        Name = "approval",
        Verbs = ["get", "patch", "update"],
        Handler = new CertificateApprovalSubresource(),
    };

    public Task HandleAsync(SubresourceRequest request) =>
        StatusSubresource.ServeAsync(request, new CertificateApprovalStrategy(request.Definition.Strategy, request.Services.Time), "approval");
}
