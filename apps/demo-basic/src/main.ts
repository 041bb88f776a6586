console.error("hi");
