namespace Timonel.OpenApiGen;

/// <summary>What an operation takes as its request body.</summary>
internal enum OperationBody
{
    None,
    Object,
    Patch,
    DeleteOptions,
}
