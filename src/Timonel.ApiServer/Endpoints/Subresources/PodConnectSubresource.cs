using Timonel.ApiServer.Registry;

namespace Timonel.ApiServer.Endpoints.Subresources;

/// <summary>pods/log, exec, attach and portforward: reached through the pod's node (see <see cref="PodConnectHandler"/>).</summary>
public sealed class PodConnectSubresource : ISubresourceHandler
{
    private static readonly PodConnectSubresource _instance = new();

    /// <summary>pods/log: get, answering the pod's kind (upstream's LogREST is a getter of Pod).</summary>
    public static SubresourceDefinition Log { get; } = Declare("log", null, ["get"]);

    /// <summary>The streams: get and create (upstream's connecters list both), each with its options kind.</summary>
    public static SubresourceDefinition Exec { get; } = Declare("exec", "PodExecOptions", ["create", "get"]);

    public static SubresourceDefinition Attach { get; } = Declare("attach", "PodAttachOptions", ["create", "get"]);

    public static SubresourceDefinition PortForward { get; } = Declare("portforward", "PodPortForwardOptions", ["create", "get"]);

    public Task HandleAsync(SubresourceRequest request) =>
        PodConnectHandler.HandleAsync(request.Context, request.Store, request.Services.Registry, request.Services.Kubelets, request.Namespace!, request.Name, request.Subresource.Name);

    private static SubresourceDefinition Declare(string name, string? kind, string[] verbs) => new()
    {
        Name = name,
        Verbs = verbs,
        Handler = _instance,
        Kind = kind,
        Streams = true,
    };
}
