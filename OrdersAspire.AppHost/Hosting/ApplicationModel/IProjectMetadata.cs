namespace OrdersAspire.AppHost.Hosting.ApplicationModel;

/// <summary>Where a project resource lives and which dll its build produced (generated per ProjectReference).</summary>
public interface IProjectMetadata
{
    string ProjectPath { get; }

    string AssemblyPath { get; }
}
