namespace Timonel.Scheduler.Framework;

/// <summary>A scheduling plugin; it implements one or more extension-point interfaces (upstream framework.Plugin).</summary>
public interface IPlugin
{
    /// <summary>Upstream's plugin name (NodeResourcesFit, TaintToleration...).</summary>
    string Name { get; }
}
