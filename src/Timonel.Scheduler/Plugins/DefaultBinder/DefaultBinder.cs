using k8s.Models;
using Timonel.Scheduler.Framework;

namespace Timonel.Scheduler.Plugins.DefaultBinder;

/// <summary>Binds through the pods/binding subresource (upstream plugins/defaultbinder).</summary>
public sealed class DefaultBinder : IBindPlugin
{
    public const string PluginName = "DefaultBinder";
    private readonly ISchedulerApi _api;

    public DefaultBinder(ISchedulerApi api)
    {
        _api = api;
    }

    public string Name => PluginName;

    public async Task<Status> BindAsync(CycleState state, PodInfo pod, string nodeName, CancellationToken cancellationToken)
    {
        var metadata = pod.Pod.Metadata;
        var binding = new V1Binding
        {
            Metadata = new V1ObjectMeta { NamespaceProperty = metadata.NamespaceProperty, Name = metadata.Name, Uid = metadata.Uid },
            Target = new V1ObjectReference { Kind = "Node", Name = nodeName },
        };
        try
        {
            await _api.BindAsync(binding, cancellationToken).ConfigureAwait(false);
            return Status.Success;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Status.AsStatus(ex);
        }
    }
}
