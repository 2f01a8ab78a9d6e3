using System.CommandLine;
using Timonel.Kustomize;

namespace Timonel.Commands;

/// <summary>`timonel kustomize DIR`: prints the build of a kustomization, as `kubectl kustomize DIR` does.</summary>
internal static class KustomizeCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("dir")
        {
            Description = "Directory holding a kustomization.yaml",
            DefaultValueFactory = _ => ".",
        };
        var command = new Command("kustomize", "Build a kustomization target from a directory");
        command.Arguments.Add(dir);
        command.SetAction(parseResult => Run(parseResult.GetValue(dir) ?? "."));
        return command;
    }

    private static int Run(string directory)
    {
        var stderr = Console.Error;
        try
        {
            var output = Kustomizer.Build(directory, stderr);
            using var stdout = Console.OpenStandardOutput();
            var bytes = System.Text.Encoding.UTF8.GetBytes(output);
            stdout.Write(bytes, 0, bytes.Length);
            return 0;
        }
        catch (KustomizeException e)
        {
            // kustomize's own CLI prints "Error: <message>" and exits 1.
            stderr.WriteLine("Error: " + e.Message);
            return 1;
        }
    }
}
