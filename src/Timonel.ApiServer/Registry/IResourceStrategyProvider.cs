namespace Timonel.ApiServer.Registry;

/// <summary>Finds the strategy of a built-in kind.</summary>
public interface IResourceStrategyProvider
{
    IResourceStrategy For(string group, string kind);
}
