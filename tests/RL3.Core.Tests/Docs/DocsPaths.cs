namespace RL3.Core.Tests.Docs;

/// <summary>Locates the repository from the test output directory.</summary>
internal static class DocsPaths
{
    /// <summary>The folder that holds RL3.Core.sln.</summary>
    /// <returns>Its full path.</returns>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RL3.Core.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RL3.Core.sln not found above the test directory.");
    }
}
