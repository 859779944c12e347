extern alias OrdersApi;

using Microsoft.AspNetCore.Mvc.Testing;

namespace Orders.Tests;

public class SmokeTests
{
    [Fact]
    public void ContractIsGenerated() => Assert.Equal("ecommerce.OrderManagement", Ecommerce.OrderManagement.Descriptor.FullName);

    [Fact]
    public async Task ApiServesAliveEndpoint()
    {
        await using var factory = new WebApplicationFactory<OrdersApi::Program>();
        using var http = factory.CreateClient();
        var response = await http.GetAsync(new Uri("/alive", UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode);
    }
}
